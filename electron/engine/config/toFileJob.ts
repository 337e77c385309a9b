import { homedir } from 'node:os';
import { isAbsolute, relative } from 'node:path';
import type { DeclaredDependency, DeclaredJob } from '../../../shared/config/declaredJob';
import type { FileProbe } from '../../../shared/config/fileParts';
import type { FileJob } from '../../../shared/config/fileSchema';
import { formatCores, formatDurationText, formatPercentText, formatSizeText } from '../../../shared/config/units';
import type { IsolationSpec } from '../../../shared/isolation';
import { DEFAULT_CLEAN_ENV_ALLOWLIST, DEFAULT_GRACE_MS, type JobCommand, type JobSpec } from '../../../shared/jobSpec';
import type { AlertRule } from '../../../shared/monitoring';
import { DEFAULT_STATUS_RANGE, PROBE_TIMING_DEFAULTS, type Probe } from '../../../shared/probes';
import { DEFAULT_RESTART_POLICY, type Affinity, type RestartPolicy } from '../../../shared/scheduling';
import type { Schedule } from '../../../shared/schedule';
import { WATCH_DEBOUNCE_DEFAULT_MS, type Watch } from '../../../shared/watch';
import { LOCAL_PLACEMENT, type Placement } from '../../../shared/where';
import { defaultAlertId, dropUndefined, RESTART_WORDS } from './specParts';

/**
 * A definition back in the file's words, with only what differs from the defaults: the
 * inverse of buildJob (parsing this gives the same definition). Export writes it as YAML;
 * diff compares two of them key by key, so a change is named by the key an operator edits.
 */
export interface FileJobOptions {
  /** Paths under this directory are written relative to it (the directory of the file being written); others absolute. */
  baseDir?: string;
  /** Write envFile's variables into env as well (to compare what the job gets, not what the file says). */
  inlineEnvFile?: boolean;
}

export function toFileJob(job: DeclaredJob, options: FileJobOptions = {}): FileJob {
  const { spec } = job;
  const path = (absolute: string) => writePath(absolute, options.baseDir);
  const fromEnvFile = new Set(options.inlineEnvFile ? [] : (job.envFile?.names ?? []));
  const env = Object.fromEntries(Object.entries(spec.env.set).filter(([key]) => !fromEnvFile.has(key)));
  return dropUndefined({
    command: writeCommand(spec.command),
    cwd: spec.cwd === undefined ? '~' : spec.cwd === options.baseDir ? undefined : path(spec.cwd),
    env: Object.keys(env).length ? env : undefined,
    envFile: job.envFile && path(job.envFile.path),
    inheritEnv: writeInheritEnv(spec.env),
    stdin: spec.stdin === 'pipe' ? undefined : spec.stdin,
    autostart: job.autostart || undefined,
    restart: writeRestart(spec.restart),
    dependsOn: job.dependsOn.length ? Object.fromEntries(job.dependsOn.map((dep) => [dep.name, writeDependency(dep)])) : undefined,
    readiness: job.readiness && writeProbe(job.readiness),
    liveness: job.liveness && writeProbe(job.liveness),
    schedule: job.schedule && writeSchedule(job.schedule),
    watch: job.watch && writeWatch(job.watch, path),
    group: spec.group === 'default' ? undefined : spec.group,
    priority: spec.priority === 0 ? undefined : spec.priority,
    affinity: writeAffinity(spec.affinity),
    nice: spec.nice,
    isolation: spec.isolation && writeIsolation(spec.isolation, path),
    runAs: spec.runAs && (spec.runAs.gid === undefined ? spec.runAs.uid : dropUndefined({ user: spec.runAs.uid, group: spec.runAs.gid })),
    alerts: spec.alerts.length ? writeAlerts(spec.alerts) : undefined,
    timeout: spec.timeoutMs === undefined ? undefined : formatDurationText(spec.timeoutMs),
    gracePeriod: spec.graceMs === DEFAULT_GRACE_MS ? undefined : formatDurationText(spec.graceMs),
    labels: Object.keys(job.labels).length ? job.labels : undefined,
    where: writePlacement(spec.where ?? LOCAL_PLACEMENT),
  }) as FileJob;
}

/** Relative ("./site") when under baseDir, else absolute; the home directory as "~" (portable across machines). */
function writePath(absolute: string, baseDir: string | undefined): string {
  if (absolute === homedir()) return '~';
  if (baseDir === undefined) return absolute;
  const rel = relative(baseDir, absolute);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? absolute : `./${rel}`;
}

/** The short form `name: healthy` unless onUnhealthy is other than its default: then `{condition, onUnhealthy}`. */
const writeDependency = (dep: DeclaredDependency): Exclude<FileJob['dependsOn'], readonly string[] | undefined>[string] =>
  dep.onUnhealthy === 'tell' ? dep.condition : { condition: dep.condition, onUnhealthy: dep.onUnhealthy };

const writeCommand = (command: JobCommand): string | string[] => (command.kind === 'shell' ? command.script : [command.program, ...command.args]);

function writeInheritEnv(env: JobSpec['env']): FileJob['inheritEnv'] {
  if (env.mode === 'inherit') return undefined;
  const isDefault = env.allow.length === DEFAULT_CLEAN_ENV_ALLOWLIST.length && env.allow.every((name, i) => name === DEFAULT_CLEAN_ENV_ALLOWLIST[i]);
  return isDefault ? false : [...env.allow];
}

function writeRestart(policy: RestartPolicy): FileJob['restart'] {
  const word = (Object.keys(RESTART_WORDS) as (keyof typeof RESTART_WORDS)[]).find((key) => RESTART_WORDS[key] === policy.when)!;
  const differs = <K extends keyof RestartPolicy>(key: K) => policy[key] !== DEFAULT_RESTART_POLICY[key];
  const backoff = dropUndefined({
    initial: differs('initialDelayMs') ? formatDurationText(policy.initialDelayMs) : undefined,
    factor: differs('factor') ? policy.factor : undefined,
    max: differs('maxDelayMs') ? formatDurationText(policy.maxDelayMs) : undefined,
  });
  const mapping = dropUndefined({
    policy: word,
    backoff: Object.keys(backoff).length === 0 ? undefined : Object.keys(backoff).length === 1 && backoff.initial ? backoff.initial : backoff,
    maxRestarts: differs('maxRestarts') ? policy.maxRestarts : undefined,
    window: differs('windowMs') ? formatDurationText(policy.windowMs) : undefined,
    minUptime: differs('minUptimeMs') ? formatDurationText(policy.minUptimeMs) : undefined,
  });
  if (Object.keys(mapping).length > 1) return mapping;
  return word === 'no' ? undefined : word;
}

function writeProbe(probe: Probe): FileProbe {
  const { check } = probe;
  const kind =
    check.kind === 'http'
      ? dropUndefined({
          http: check.url,
          status: check.status.min === DEFAULT_STATUS_RANGE.min && check.status.max === DEFAULT_STATUS_RANGE.max ? undefined : check.status.min === check.status.max ? check.status.min : `${check.status.min}-${check.status.max}`,
          body: check.bodyMatch,
        })
      : check.kind === 'tcp'
        ? { tcp: `${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}` }
        : check.kind === 'exec'
          ? { exec: writeCommand(check.command) }
          : { log: check.pattern };
  return dropUndefined({
    ...kind,
    initialDelay: probe.initialDelayMs === PROBE_TIMING_DEFAULTS.initialDelayMs ? undefined : formatDurationText(probe.initialDelayMs),
    interval: probe.intervalMs === PROBE_TIMING_DEFAULTS.intervalMs ? undefined : formatDurationText(probe.intervalMs),
    timeout: probe.timeoutMs === PROBE_TIMING_DEFAULTS.timeoutMs ? undefined : formatDurationText(probe.timeoutMs),
    successThreshold: probe.successThreshold === PROBE_TIMING_DEFAULTS.successThreshold ? undefined : probe.successThreshold,
    failureThreshold: probe.failureThreshold === PROBE_TIMING_DEFAULTS.failureThreshold ? undefined : probe.failureThreshold,
  });
}

function writeSchedule(schedule: Schedule): FileJob['schedule'] {
  if (schedule.timezone === undefined && schedule.overlap === 'skip' && schedule.missed === 'skip') return schedule.cron;
  return dropUndefined({ cron: schedule.cron, timezone: schedule.timezone, overlap: schedule.overlap === 'skip' ? undefined : schedule.overlap, missed: schedule.missed === 'skip' ? undefined : schedule.missed });
}

function writeWatch(watch: Watch, path: (absolute: string) => string): FileJob['watch'] {
  const paths = watch.paths.length === 1 ? path(watch.paths[0]!) : watch.paths.map(path);
  if (watch.debounceMs === WATCH_DEBOUNCE_DEFAULT_MS && watch.ignore.length === 0) return paths;
  return dropUndefined({ paths, debounce: watch.debounceMs === WATCH_DEBOUNCE_DEFAULT_MS ? undefined : formatDurationText(watch.debounceMs), ignore: watch.ignore.length ? watch.ignore : undefined });
}

function writeAffinity(affinity: Affinity): FileJob['affinity'] {
  if (affinity.mode === 'none') return undefined;
  if (affinity.mode === 'fixed') return formatCores(affinity.cores);
  if (affinity.mode === 'least-loaded' && !affinity.cores) return 'least-loaded';
  return { mode: affinity.mode, cores: formatCores(affinity.cores!) };
}

function writeIsolation(isolation: IsolationSpec, path: (absolute: string) => string): FileJob['isolation'] {
  const o = isolation.overrides;
  const limit = <T>(value: T | null | undefined, write: (v: T) => string | number) => (value === undefined ? undefined : value === null ? 'unlimited' : write(value));
  const overrides = dropUndefined({
    memory: limit(o.memoryBytes, formatSizeText),
    cpuTime: limit(o.cpuSeconds, (seconds) => formatDurationText(seconds * 1000)),
    openFiles: limit(o.openFiles, (n) => n),
    processes: limit(o.processes, (n) => n),
    wallClock: limit(o.wallClockMs, formatDurationText),
    cleanEnv: o.cleanEnv,
    cwd: o.cwd === undefined || o.cwd === null || o.cwd === 'private' ? o.cwd : path(o.cwd),
  });
  return Object.keys(overrides).length ? ({ level: isolation.level, ...overrides } as Exclude<FileJob['isolation'], string>) : isolation.level;
}

function writeAlerts(rules: readonly AlertRule[]): NonNullable<FileJob['alerts']> {
  const counts: Record<string, number> = {};
  return rules.map((rule) => {
    const defaultId = defaultAlertId(rule.kind, counts[rule.kind] ?? 0);
    counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
    const amount =
      rule.kind === 'cpu'
        ? { cpu: formatPercentText(rule.percent), for: rule.forSeconds ? formatDurationText(rule.forSeconds * 1000) : undefined }
        : rule.kind === 'memory'
          ? { memory: formatSizeText(rule.bytes), for: rule.forSeconds ? formatDurationText(rule.forSeconds * 1000) : undefined }
          : rule.kind === 'runtime'
            ? { runtime: formatDurationText(rule.seconds * 1000) }
            : { leak: true as const };
    return dropUndefined({ ...amount, action: rule.action === 'notify' ? undefined : rule.action, id: rule.id === defaultId ? undefined : rule.id });
  });
}

function writePlacement(where: Placement): FileJob['where'] {
  if (where.kind === 'local') return undefined;
  const fields = dropUndefined({
    partition: where.partition,
    cpus: where.cpus,
    memory: where.memoryBytes === undefined ? undefined : formatSizeText(where.memoryBytes),
    timeLimit: where.timeLimitMs === undefined ? undefined : formatDurationText(where.timeLimitMs),
    nodes: where.nodes,
  });
  return Object.keys(fields).length ? { kind: 'slurm', ...fields } : 'slurm';
}
