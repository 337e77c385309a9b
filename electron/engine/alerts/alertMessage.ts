import { formatByteRate, formatBytes, formatDuration, formatPercent, MIB } from '../../../shared/format';
import type { AlertRule } from '../../../shared/monitoring';

const sustained = (seconds: number) => (seconds > 0 ? ` for ${formatDuration(seconds * 1000)}` : '');

/** What was measured against what limit, in the units the UI uses everywhere (shared/format). */
function measurement(rule: AlertRule, value: number, r2?: number): string {
  switch (rule.kind) {
    case 'cpu':
      return `CPU ${formatPercent(value)} above ${formatPercent(rule.percent)}${sustained(rule.forSeconds)}`;
    case 'memory':
      return `memory ${formatBytes(value)} above ${formatBytes(rule.bytes)}${sustained(rule.forSeconds)}`;
    case 'runtime':
      return `running for ${formatDuration(value * 1000)}, longer than ${formatDuration(rule.seconds * 1000)}`;
    case 'leak':
      return `possible memory leak: growing ${formatByteRate(value * MIB, 'min')}${r2 === undefined ? '' : ` (R² ${r2.toFixed(2)})`}`;
  }
}

/**
 * One sentence for the notice, the history and the desktop notification, naming what it is
 * about: "web-api: memory 1.6 GiB above 1500 MiB for 2 s". A banner read a minute later, among
 * a dozen jobs, must say which one.
 */
export function alertMessage(rule: AlertRule, value: number, r2?: number, subjectName?: string): string {
  const text = measurement(rule, value, r2);
  return subjectName ? `${subjectName}: ${text}` : text;
}

/** How a watched process is named in its alerts. */
export const watchedProcessName = (pid: number, command: string): string => `process ${pid} (${command.length > 60 ? `${command.slice(0, 60)}…` : command})`;
