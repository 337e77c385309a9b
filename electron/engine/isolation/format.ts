/** Human-readable values for limit descriptions and end reasons ("256 MiB", "10 min"). */

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit++;
  }
  if (value >= 1024 && unit < units.length - 1) {
    // Not a whole number of the next unit: one decimal is enough for a label.
    return `${Number((value / 1024).toFixed(1))} ${units[unit + 1]}`;
  }
  return `${value} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Number((seconds / 60).toFixed(1))} min`;
  return `${Number((seconds / 3600).toFixed(1))} h`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : formatSeconds(Number((ms / 1000).toFixed(1)));
}
