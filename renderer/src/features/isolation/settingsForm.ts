import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { IsolationLevel } from '../../../../shared/isolation';
import type { Settings } from '../../../../shared/settings';
import { formatSizeText, parseSize, SIZE_PATTERN } from '../../../../shared/config/units';

/** The isolation part of the settings, as the dialog edits it. */
export interface SettingsValues {
  defaultIsolation: IsolationLevel;
  /** One program per line; blank lines and # comments are skipped. */
  allow: string;
  deny: string;
  /** Shell jobs run while a deny list is in force (commandPolicy.allowShellJobs). */
  allowShellJobs: boolean;
  /** settings.metricsPort as typed (a number input: digits or empty); empty: no metrics port. */
  metricsPort: string;
  /** settings.finishedJobsKept, as typed. */
  finishedJobsKept: string;
  /** settings.maxConcurrent (the global pool), as typed. */
  maxConcurrent: string;
  /** settings.runsKept, as typed. */
  runsKept: string;
  /** settings.logBudgetBytes as a size with its unit ("1GiB", "512M"), as typed. */
  logBudget: string;
  /** settings.slurmConf as typed; empty: Slurm's own lookup (null). */
  slurmConf: string;
}

export type SettingsField = 'defaultIsolation' | 'allow' | 'deny' | 'metricsPort' | 'finishedJobsKept' | 'maxConcurrent' | 'runsKept' | 'logBudget' | 'slurmConf' | 'form';
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export const settingsValuesOf = (settings: Settings): SettingsValues => ({
  defaultIsolation: settings.defaultIsolation,
  allow: settings.commandPolicy.allow.join('\n'),
  deny: settings.commandPolicy.deny.join('\n'),
  allowShellJobs: settings.commandPolicy.allowShellJobs,
  metricsPort: settings.metricsPort === null ? '' : String(settings.metricsPort),
  finishedJobsKept: String(settings.finishedJobsKept),
  maxConcurrent: String(settings.maxConcurrent),
  runsKept: String(settings.runsKept),
  logBudget: formatSizeText(settings.logBudgetBytes),
  slurmConf: settings.slurmConf ?? '',
});

export const programLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

/** A number field as typed; not a number is sent as it is (NaN), and the engine's answer names the field. */
const numberAsTyped = (typed: string): number => (typed.trim() === '' ? Number.NaN : Number(typed));

/** A size as typed, in bytes; not a size with a unit is NaN (settingsErrorFor says how to write one). */
const sizeAsTyped = (typed: string): number => (SIZE_PATTERN.test(typed.trim()) ? parseSize(typed.trim()) : Number.NaN);

const SIZE_HINT = 'write a size with its unit, such as 512MiB or 2G (K, M, G, T are powers of 1024)';

/**
 * The whole settings object with the dialog's values in it. Whole, not a patch: the engine
 * parses a patch with the settings schema's defaults, so a field left out would be reset.
 */
export function applySettingsValues(current: Settings, values: SettingsValues): Settings {
  return {
    ...current,
    defaultIsolation: values.defaultIsolation,
    commandPolicy: { allow: programLines(values.allow), deny: programLines(values.deny), allowShellJobs: values.allowShellJobs },
    // The engine judges the numbers and names what is wrong with them.
    metricsPort: values.metricsPort.trim() === '' ? null : Number(values.metricsPort),
    finishedJobsKept: numberAsTyped(values.finishedJobsKept),
    maxConcurrent: numberAsTyped(values.maxConcurrent),
    runsKept: numberAsTyped(values.runsKept),
    logBudgetBytes: sizeAsTyped(values.logBudget),
    slurmConf: values.slurmConf.trim() === '' ? null : values.slurmConf.trim(),
  };
}

/** Where the engine's complaint about the settings belongs, with the rule it concerns named. */
export function settingsErrorFor(error: ProcdeckErrorPayload, sent: Settings): SettingsErrors {
  const path = error.field ?? '';
  const rule = /commandPolicy\.(allow|deny)\.(\d+)/.exec(path);
  const text = error.message.replace(/^[\w.]+: /, '');
  if (rule) {
    const list = rule[1] === 'allow' ? 'allow' : 'deny';
    const entry = sent.commandPolicy[list][Number(rule[2])];
    return { [list]: entry === undefined || text.includes(`"${entry}"`) ? text : `"${entry}": ${text}` };
  }
  if (path.includes('defaultIsolation')) return { defaultIsolation: text };
  if (path.includes('metricsPort')) return { metricsPort: text };
  if (path.includes('finishedJobsKept')) return { finishedJobsKept: text };
  if (path.includes('maxConcurrent')) return { maxConcurrent: text };
  if (path.includes('runsKept')) return { runsKept: text };
  if (path.includes('slurmConf')) return { slurmConf: text };
  if (path.includes('logBudgetBytes')) return { logBudget: Number.isNaN(sent.logBudgetBytes) ? SIZE_HINT : text };
  return { form: error.message };
}
