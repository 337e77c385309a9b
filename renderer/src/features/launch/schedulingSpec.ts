import type { JobSpecInput } from '../../../../shared/jobSpec';
import { DEFAULT_RESTART_POLICY, type Affinity, type RestartPolicy } from '../../../../shared/scheduling';

/** Fields of the "More options" section; each engine error path maps onto one of them. */
export type SchedulingField =
  | 'group'
  | 'priority'
  | 'dependsOn'
  | 'restart.when'
  | 'restart.initialDelayMs'
  | 'restart.factor'
  | 'restart.maxDelayMs'
  | 'restart.maxRestarts'
  | 'restart.windowMs'
  | 'restart.minUptimeMs'
  | 'affinity'
  | 'nice';

export const SCHEDULING_FIELDS: readonly SchedulingField[] = [
  'group',
  'priority',
  'dependsOn',
  'restart.when',
  'restart.initialDelayMs',
  'restart.factor',
  'restart.maxDelayMs',
  'restart.maxRestarts',
  'restart.windowMs',
  'restart.minUptimeMs',
  'affinity',
  'nice',
];

export type AffinityMode = Affinity['mode'];

/** The backoff fields as typed, in the units the form shows (seconds for durations). */
export interface BackoffValues {
  initialDelay: string;
  factor: string;
  maxDelay: string;
  maxRestarts: string;
  window: string;
  minUptime: string;
}

export interface SchedulingValues {
  group: string;
  priority: string;
  /** Job ids. */
  dependsOn: string[];
  restartWhen: RestartPolicy['when'];
  backoff: BackoffValues;
  affinityMode: AffinityMode;
  cores: number[];
  nice: string;
  /** One pipe for stdout and stderr: the log keeps the exact order the job wrote its lines in. */
  mergeStderr: boolean;
}

const seconds = (ms: number) => String(ms / 1000);

export const DEFAULT_BACKOFF: BackoffValues = {
  initialDelay: seconds(DEFAULT_RESTART_POLICY.initialDelayMs),
  factor: String(DEFAULT_RESTART_POLICY.factor),
  maxDelay: seconds(DEFAULT_RESTART_POLICY.maxDelayMs),
  maxRestarts: String(DEFAULT_RESTART_POLICY.maxRestarts),
  window: seconds(DEFAULT_RESTART_POLICY.windowMs),
  minUptime: seconds(DEFAULT_RESTART_POLICY.minUptimeMs),
};

export const EMPTY_SCHEDULING: SchedulingValues = {
  group: '',
  priority: '',
  dependsOn: [],
  restartWhen: 'never',
  backoff: DEFAULT_BACKOFF,
  affinityMode: 'none',
  cores: [],
  nice: '',
  mergeStderr: false,
};

/** Which backoff input feeds which policy field, and how the typed text converts. */
const BACKOFF_FIELDS: readonly {
  key: keyof BackoffValues;
  field: Exclude<SchedulingField, 'restart.when'> & `restart.${string}`;
  scale: number;
}[] = [
  { key: 'initialDelay', field: 'restart.initialDelayMs', scale: 1000 },
  { key: 'factor', field: 'restart.factor', scale: 1 },
  { key: 'maxDelay', field: 'restart.maxDelayMs', scale: 1000 },
  { key: 'maxRestarts', field: 'restart.maxRestarts', scale: 1 },
  { key: 'window', field: 'restart.windowMs', scale: 1000 },
  { key: 'minUptime', field: 'restart.minUptimeMs', scale: 1000 },
];

export type SchedulingErrors = Partial<Record<SchedulingField, string>>;
type SchedulingSpec = Pick<JobSpecInput, 'group' | 'priority' | 'dependsOn' | 'restart' | 'affinity' | 'nice' | 'mergeStderr'>;

/** A number as typed, or undefined when the text is not one. Ranges are the engine's to check. */
function readNumber(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() === '' || Number.isNaN(value) ? undefined : value;
}

/**
 * The scheduling part of a job spec. Only what the form must understand is checked here
 * (readable numbers); ranges, core numbers and unknown dependencies are the engine's to judge.
 */
export function buildScheduling(values: SchedulingValues): { spec: SchedulingSpec } | { errors: SchedulingErrors } {
  const errors: SchedulingErrors = {};
  const spec: SchedulingSpec = {};
  if (values.group.trim() !== '') spec.group = values.group.trim();
  if (values.priority.trim() !== '') {
    const priority = readNumber(values.priority);
    if (priority === undefined) errors.priority = 'enter the priority as a whole number';
    else spec.priority = priority;
  }
  if (values.dependsOn.length > 0) spec.dependsOn = values.dependsOn;
  if (values.mergeStderr) spec.mergeStderr = true;

  if (values.restartWhen !== 'never') {
    const policy: Record<string, number> = {};
    for (const { key, field, scale } of BACKOFF_FIELDS) {
      const value = readNumber(values.backoff[key]);
      if (value === undefined) errors[field] = 'enter a number';
      // Durations are typed in seconds and sent as whole milliseconds.
      else policy[field.slice('restart.'.length)] = scale === 1 ? value : Math.round(value * scale);
    }
    spec.restart = { when: values.restartWhen, ...policy };
  }

  const cores = [...values.cores].sort((a, b) => a - b);
  if (values.affinityMode === 'fixed' || values.affinityMode === 'round-robin') {
    spec.affinity = { mode: values.affinityMode, cores };
  } else if (values.affinityMode === 'least-loaded') {
    spec.affinity = cores.length > 0 ? { mode: 'least-loaded', cores } : { mode: 'least-loaded' };
  }

  if (values.nice.trim() !== '') {
    const nice = readNumber(values.nice);
    if (nice === undefined) errors.nice = 'enter nice as a whole number from -20 to 19';
    else spec.nice = nice;
  }
  return Object.keys(errors).length > 0 ? { errors } : { spec };
}

/** The section's field an engine error path (without "spec.") belongs to, if any. */
export function schedulingFieldFor(path: string): SchedulingField | undefined {
  const [head, second] = path.split('.');
  switch (head) {
    case 'group':
    case 'priority':
    case 'dependsOn':
    case 'affinity':
    case 'nice':
      return head;
    case 'restart': {
      const field = `restart.${second ?? 'when'}`;
      return SCHEDULING_FIELDS.find((known) => known === field) ?? 'restart.when';
    }
    default:
      return undefined;
  }
}

/** A one-line summary of what the collapsed section sets, so nothing is hidden by surprise. */
export function describeScheduling(values: SchedulingValues): string {
  const parts: string[] = [];
  if (values.group.trim()) parts.push(`group ${values.group.trim()}`);
  if (values.priority.trim() && values.priority.trim() !== '0') parts.push(`priority ${values.priority.trim()}`);
  if (values.dependsOn.length > 0) parts.push(`after ${values.dependsOn.length} job${values.dependsOn.length === 1 ? '' : 's'}`);
  if (values.restartWhen !== 'never') parts.push(`restart ${values.restartWhen.replace('-', ' ')}`);
  if (values.affinityMode !== 'none') {
    const cores = values.cores.length > 0 ? ` ${[...values.cores].sort((a, b) => a - b).join(',')}` : '';
    parts.push(`${values.affinityMode}${cores}`);
  }
  if (values.nice.trim()) parts.push(`nice ${values.nice.trim()}`);
  if (values.mergeStderr) parts.push('stderr into stdout');
  return parts.join(' · ');
}
