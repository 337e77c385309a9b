export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Bytes as an axis label: a round value without its trailing zeros (256 MiB, 1.5 GiB). */
export const formatRoundBytes = (bytes: number): string => formatBytes(bytes).replace(/(\.\d*?)0+ /, '$1 ').replace('. ', ' ');

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Time of day (hh:mm:ss), as chart axes and tooltips show it. */
export const formatTimeOfDay = (at: number): string => timeOfDay.format(at);

/** Time of day, or date and time when `at` is not on `today` (a Date.toDateString; '' for unknown). */
export function formatClock(at: number, today: string): string {
  const sameDay = today === '' || new Date(at).toDateString() === today;
  return sameDay ? timeOfDay.format(at) : dateAndTime.format(at);
}

export const formatCpu = (cpu: number): string => (cpu >= 100 ? cpu.toFixed(0) : cpu.toFixed(1));
