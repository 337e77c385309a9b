export interface LinearFit {
  /** y units per x unit. */
  slope: number;
  intercept: number;
  /** Coefficient of determination: 1 = every point on the line, 0 = the line explains nothing. */
  r2: number;
}

/**
 * Ordinary least squares of y over x, over the points from index `from` (inclusive) to `to`
 * (exclusive; default: the end). x is centred on its mean first, so epoch-millisecond times do
 * not cost precision. Undefined with fewer than two distinct x.
 */
export function fitLine(xs: readonly number[], ys: readonly number[], from = 0, to = Math.min(xs.length, ys.length)): LinearFit | undefined {
  const n = to - from;
  if (n < 2) return undefined;
  let sumX = 0;
  let sumY = 0;
  for (let i = from; i < to; i++) {
    sumX += xs[i]!;
    sumY += ys[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
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

/**
 * Sums of points shifted by (x0, y0), the first point added: points can be added and removed
 * one at a time (a sliding window), then fitSums gives the line. The shift keeps epoch-millisecond
 * times and large byte counts from costing precision, as centring does in fitLine; a caller that
 * removes points should start over now and then (emptySums + addPoint), so rounding cannot pile up.
 */
export interface ShiftedSums {
  n: number;
  x0: number;
  y0: number;
  x: number;
  y: number;
  xx: number;
  xy: number;
  yy: number;
}

export const emptySums = (): ShiftedSums => ({ n: 0, x0: 0, y0: 0, x: 0, y: 0, xx: 0, xy: 0, yy: 0 });

export function addPoint(sums: ShiftedSums, x: number, y: number): void {
  if (sums.n === 0) {
    sums.x0 = x;
    sums.y0 = y;
    sums.x = sums.y = sums.xx = sums.xy = sums.yy = 0;
  }
  const dx = x - sums.x0;
  const dy = y - sums.y0;
  sums.n++;
  sums.x += dx;
  sums.y += dy;
  sums.xx += dx * dx;
  sums.xy += dx * dy;
  sums.yy += dy * dy;
}

export function removePoint(sums: ShiftedSums, x: number, y: number): void {
  const dx = x - sums.x0;
  const dy = y - sums.y0;
  sums.n--;
  sums.x -= dx;
  sums.y -= dy;
  sums.xx -= dx * dx;
  sums.xy -= dx * dy;
  sums.yy -= dy * dy;
}

/** The least-squares line of the summed points (as fitLine); undefined with fewer than two distinct x. */
export function fitSums(sums: ShiftedSums): LinearFit | undefined {
  const fit: LinearFit = { slope: 0, intercept: 0, r2: 0 };
  return fitSumsInto(sums, fit) ? fit : undefined;
}

/** fitSums into `fit` (a verdict per subject per tick allocates no line): false, `fit` untouched, with fewer than two distinct x. */
export function fitSumsInto(sums: ShiftedSums, fit: LinearFit): boolean {
  const { n } = sums;
  if (n < 2) return false;
  const sxx = sums.xx - (sums.x * sums.x) / n;
  const sxy = sums.xy - (sums.x * sums.y) / n;
  const syy = sums.yy - (sums.y * sums.y) / n;
  if (!(sxx > 0)) return false;
  const slope = sxy / sxx;
  fit.slope = slope;
  fit.intercept = sums.y0 + sums.y / n - slope * (sums.x0 + sums.x / n);
  // A flat series is perfectly "explained" by a flat line, but there is no trend to speak of.
  fit.r2 = syy <= 0 ? 0 : Math.min(1, (sxy * sxy) / (sxx * syy));
  return true;
}
