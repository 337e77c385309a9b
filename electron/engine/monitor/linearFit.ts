export interface LinearFit {
  /** y units per x unit. */
  slope: number;
  intercept: number;
  /** Coefficient of determination: 1 = every point on the line, 0 = the line explains nothing. */
  r2: number;
}

/**
 * Ordinary least squares of y over x. x is centred on its mean first, so epoch-millisecond
 * times do not cost precision. Undefined with fewer than two distinct x.
 */
export function fitLine(xs: readonly number[], ys: readonly number[]): LinearFit | undefined {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return undefined;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += xs[i]!;
    sumY += ys[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - meanX;
    const dy = ys[i]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  // A flat series is perfectly "explained" by a flat line, but there is no trend to speak of.
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: meanY - slope * meanX, r2 };
}
