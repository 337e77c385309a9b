import type { FileJob } from '../../../shared/config/fileSchema';
import { parseCores, parsePercent } from '../../../shared/config/units';
import type { IsolationSpecInput, RunAs } from '../../../shared/isolation';
import type { AlertRuleInput } from '../../../shared/monitoring';
import { DEFAULT_RESTART_POLICY, type Affinity, type RestartPolicy } from '../../../shared/scheduling';
import type { Placement } from '../../../shared/where';
import { MIB } from '../../../shared/format';
import type { FieldReader } from './fieldReader';

/** The file's restart, affinity, isolation, runAs, alerts and where, as the job spec has them. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const RESTART_WORDS = { no: 'never', 'on-failure': 'on-failure', always: 'always' } as const;

export function readRestart(reader: FieldReader, restart: NonNullable<FileJob['restart']>): RestartPolicy | undefined {
  if (typeof restart === 'string') return { ...DEFAULT_RESTART_POLICY, when: RESTART_WORDS[restart] };
  const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, when: RESTART_WORDS[restart.policy ?? 'no'] };
  const backoff = typeof restart.backoff === 'string' ? { initial: restart.backoff } : (restart.backoff ?? {});
  const set = <K extends keyof RestartPolicy>(key: K, value: RestartPolicy[K] | undefined): boolean => {
    if (value === undefined) return false;
    policy[key] = value;
    return true;
  };
  let ok = true;
  if (backoff.initial !== undefined) ok = set('initialDelayMs', reader.duration(['restart', 'backoff', ...(typeof restart.backoff === 'string' ? [] : ['initial'])], backoff.initial, { max: HOUR })) && ok;
  if (backoff.factor !== undefined) policy.factor = backoff.factor;
  if (backoff.max !== undefined) ok = set('maxDelayMs', reader.duration(['restart', 'backoff', 'max'], backoff.max, { max: DAY })) && ok;
  if (restart.maxRestarts !== undefined) policy.maxRestarts = restart.maxRestarts;
  if (restart.window !== undefined) ok = set('windowMs', reader.duration(['restart', 'window'], restart.window, { min: 1000, max: 7 * DAY })) && ok;
  if (restart.minUptime !== undefined) ok = set('minUptimeMs', reader.duration(['restart', 'minUptime'], restart.minUptime, { max: DAY })) && ok;
  if (ok && policy.maxDelayMs < policy.initialDelayMs) {
    // A first delay above the default maximum raises the maximum with it, unless the file set one.
    if (backoff.max === undefined) policy.maxDelayMs = policy.initialDelayMs;
    else reader.problem(['restart', 'backoff', 'max'], `the longest delay (${backoff.max}) is below the first (${backoff.initial ?? '1s'})`);
  }
  return ok ? policy : undefined;
}

export function readAffinity(reader: FieldReader, affinity: NonNullable<FileJob['affinity']>): Affinity | undefined {
  if (affinity === 'least-loaded') return { mode: 'least-loaded' };
  if (typeof affinity !== 'object' || Array.isArray(affinity)) return { mode: 'fixed', cores: parseCores(affinity) };
  const mode = affinity.mode ?? 'fixed';
  if (mode === 'least-loaded') return affinity.cores === undefined ? { mode } : { mode, cores: parseCores(affinity.cores) };
  if (affinity.cores === undefined) return void reader.problem(['affinity'], `affinity mode ${mode} needs cores: "0,1", "0-3" or a list`, 'missing-key');
  return { mode, cores: parseCores(affinity.cores) };
}

export function readIsolation(reader: FieldReader, isolation: NonNullable<FileJob['isolation']>): IsolationSpecInput | undefined {
  if (typeof isolation === 'string') return { level: isolation, overrides: {} };
  const overrides: NonNullable<IsolationSpecInput['overrides']> = {};
  let ok = true;
  // `unlimited` (or null) lifts the level's preset limit; an absent key keeps it.
  const limit = <T>(value: T | 'unlimited' | null | undefined, read: (v: T) => number | undefined): number | null | undefined => {
    if (value === undefined) return undefined;
    if (value === null || value === 'unlimited') return null;
    const number = read(value);
    if (number === undefined) ok = false;
    return number;
  };
  const put = (key: 'memoryBytes' | 'cpuSeconds' | 'openFiles' | 'processes' | 'wallClockMs', value: number | null | undefined) => {
    if (value !== undefined) overrides[key] = value;
  };
  put('memoryBytes', limit(isolation.memory, (text) => reader.size(['isolation', 'memory'], text, { min: 16 * MIB, max: 2 ** 50 })));
  put('cpuSeconds', limit(isolation.cpuTime, (text) => reader.duration(['isolation', 'cpuTime'], text, { min: 1000, max: 30 * DAY, unit: 's' })));
  put('openFiles', limit(isolation.openFiles, (n) => n));
  put('processes', limit(isolation.processes, (n) => n));
  put('wallClockMs', limit(isolation.wallClock, (text) => reader.duration(['isolation', 'wallClock'], text, { min: 1, max: 30 * DAY })));
  if (isolation.cleanEnv !== undefined) overrides.cleanEnv = isolation.cleanEnv;
  if (isolation.cwd !== undefined) overrides.cwd = isolation.cwd === null || isolation.cwd === 'private' ? isolation.cwd : reader.path(isolation.cwd);
  return ok ? { level: isolation.level, overrides } : undefined;
}

export function readRunAs(runAs: NonNullable<FileJob['runAs']>): RunAs {
  if (typeof runAs !== 'object') return { uid: runAs };
  return { uid: runAs.user, gid: runAs.group };
}

/** Rules get the id `<kind>-<n>` (n counts rules of that kind) unless the file names one. */
export function defaultAlertId(kind: string, indexOfKind: number): string {
  return `${kind}-${indexOfKind + 1}`;
}

export function readAlerts(reader: FieldReader, alerts: NonNullable<FileJob['alerts']>): AlertRuleInput[] | undefined {
  const rules: (AlertRuleInput | undefined)[] = [];
  const counts: Record<string, number> = {};
  const seen = new Map<string, number>();
  alerts.forEach((alert, index) => {
    const kind = ALERT_KINDS.find((k) => alert[k] !== undefined)!;
    const id = alert.id ?? defaultAlertId(kind, counts[kind] ?? 0);
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (seen.has(id)) {
      reader.problem(['alerts', index, ...(alert.id ? ['id'] : [])], `two alerts have the id "${id}" (the other is alerts[${seen.get(id)}]): give each its own id`, 'duplicate-name');
      rules.push(undefined);
    } else rules.push(readAlert(reader, alert, index, { id, action: alert.action ?? 'notify' }));
    seen.set(id, index);
  });
  return rules.every((rule) => rule !== undefined) ? (rules as AlertRuleInput[]) : undefined;
}

const ALERT_KINDS = ['cpu', 'memory', 'runtime', 'leak'] as const;
type FileAlert = NonNullable<FileJob['alerts']>[number];

function readAlert(reader: FieldReader, alert: FileAlert, index: number, base: { id: string; action: 'notify' | 'stop' | 'restart' }): AlertRuleInput | undefined {
  const at = (key: string) => ['alerts', index, key];
  const forMs = alert.for === undefined ? 0 : reader.duration(at('for'), alert.for, { max: 7 * DAY });
  if (forMs === undefined) return undefined;
  if (alert.cpu !== undefined) {
    const percent = parsePercent(alert.cpu);
    if (percent > 0 && percent <= 409_600) return { ...base, kind: 'cpu', percent, forSeconds: forMs / 1000 };
    reader.problem(at('cpu'), `a CPU threshold is above 0% and at most 409600% (got ${alert.cpu})`);
    return undefined;
  }
  if (alert.memory !== undefined) {
    const bytes = reader.size(at('memory'), alert.memory, { min: 1 });
    return bytes === undefined ? undefined : { ...base, kind: 'memory', bytes, forSeconds: forMs / 1000 };
  }
  if (alert.runtime !== undefined) {
    const ms = reader.duration(at('runtime'), alert.runtime, { min: 1, max: 366 * DAY });
    return ms === undefined ? undefined : { ...base, kind: 'runtime', seconds: ms / 1000 };
  }
  return { ...base, kind: 'leak' };
}

export function readPlacement(reader: FieldReader, where: NonNullable<FileJob['where']>): Placement | undefined {
  if (typeof where === 'string') return { kind: where };
  if (where.kind === 'local') {
    const clusterOnly = (['partition', 'cpus', 'memory', 'timeLimit', 'nodes'] as const).filter((key) => where[key] !== undefined);
    if (clusterOnly.length) return void reader.problem(['where', clusterOnly[0]!], `${clusterOnly.join(', ')} belong to kind: slurm (a local job runs on this machine)`);
    return { kind: 'local' };
  }
  const placement: Placement = { kind: 'slurm', partition: where.partition, cpus: where.cpus, nodes: where.nodes };
  let ok = true;
  if (where.memory !== undefined) ok = (placement.memoryBytes = reader.size(['where', 'memory'], where.memory, { min: 1, max: 2 ** 50 })) !== undefined && ok;
  if (where.timeLimit !== undefined) ok = (placement.timeLimitMs = reader.duration(['where', 'timeLimit'], where.timeLimit, { min: 1, max: 30 * DAY })) !== undefined && ok;
  return ok ? dropUndefined(placement) : undefined;
}

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
