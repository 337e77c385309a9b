import type { AlertRule } from '../../../shared/monitoring';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** One sentence for the notice and the history: what was measured against what limit. */
export function alertMessage(rule: AlertRule, value: number, r2?: number): string {
  switch (rule.kind) {
    case 'cpu':
      return `CPU ${value.toFixed(0)} % above ${rule.percent} %${rule.forSeconds > 0 ? ` for ${formatSeconds(rule.forSeconds)}` : ''}`;
    case 'memory':
      return `memory ${formatBytes(value)} above ${formatBytes(rule.bytes)}${rule.forSeconds > 0 ? ` for ${formatSeconds(rule.forSeconds)}` : ''}`;
    case 'runtime':
      return `running for ${formatSeconds(value)}, longer than ${formatSeconds(rule.seconds)}`;
    case 'leak':
      return `possible memory leak: growing ${value.toFixed(1)} MiB/min${r2 === undefined ? '' : ` (R² ${r2.toFixed(2)})`}`;
  }
}
