import type { HistoryPoint } from '../../../shared/monitoring';

export const SAMPLES_CSV_HEADER = 'time_iso,epoch_ms,cpu_percent,rss_bytes,processes';

/** Up to two decimals, no trailing zeros: "12.5", "0", "3.14". */
function decimal(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * A run's samples as CSV, oldest first, one line per point. Rows older than the history's
 * full-rate window are bucket averages (see RunHistory), so their process count may be fractional.
 */
export function samplesToCsv(points: readonly HistoryPoint[]): string {
  const lines = [SAMPLES_CSV_HEADER];
  for (const p of points) {
    lines.push(`${new Date(p.at).toISOString()},${Math.round(p.at)},${decimal(p.cpu)},${Math.round(p.rss)},${decimal(p.processes)}`);
  }
  return `${lines.join('\n')}\n`;
}
