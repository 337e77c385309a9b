export interface SeriesPoint {
  at: number;
  cpu: number;
  rss: number;
}

/**
 * Keeps a series at most `max` points: the newest half stays at full resolution, the older
 * part is halved by averaging neighbours. Repeated on every overflow, so the oldest history
 * ends up coarsest while the whole time span stays on the chart.
 */
export function compactSeries(points: SeriesPoint[], max: number): SeriesPoint[] {
  const keepRecent = Math.floor(max / 2);
  let result = points;
  while (result.length > max) {
    const olderCount = result.length - keepRecent;
    const halved: SeriesPoint[] = [];
    for (let i = 0; i < olderCount; i += 2) {
      const a = result[i]!;
      const b = i + 1 < olderCount ? result[i + 1]! : a;
      halved.push({ at: (a.at + b.at) / 2, cpu: (a.cpu + b.cpu) / 2, rss: (a.rss + b.rss) / 2 });
    }
    result = halved.concat(result.slice(olderCount));
  }
  return result;
}
