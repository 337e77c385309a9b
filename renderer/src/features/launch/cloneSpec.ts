import type { IsolationLevel, LimitOverrides } from '../../../../shared/isolation';
import { jobSpecSchema, placementOf, type JobSpec } from '../../../../shared/jobSpec';
import type { DeclaredRef } from '../../../../shared/jobSnapshot';
import { EMPTY_ISOLATION, NUMERIC_OVERRIDES, type IsolationValues } from '../isolation/isolationForm';
import { specFromForm, type LaunchFormValues } from './formSpec';
import { EMPTY_LAUNCH, type LaunchValues } from './launchSpec';
import { EMPTY_SCHEDULING, type SchedulingValues } from './schedulingSpec';
import { joinArgv } from './splitArgv';
import { EMPTY_WHERE, type WhereValues } from './whereSpec';

/** What is cloned: a job's spec, the name it is shown by, and the declaration it came from, if any. */
export interface CloneSource {
  name: string;
  spec: JobSpec;
  declared?: DeclaredRef;
}

export interface ClonedForm {
  form: LaunchFormValues;
  /** In the operator's words, what the form cannot hold and so will not be in the new job. */
  notCopied: string[];
  /** The spec the form gives back as filled (what an edit is compared with); absent when the form could not be read back. */
  rebuilt?: JobSpec;
}

const seconds = (ms: number) => String(ms / 1000);

/** parseEnvLines reads `KEY=value` back as the same pair: no line break in the value, a name it does not trim or skip. */
const writableAsEnvLine = (key: string, value: string) =>
  !/[\r\n]/.test(value) && !/[\s]/.test(key) && !key.startsWith('#');

function launchValuesOf(source: CloneSource): LaunchValues {
  const { spec } = source;
  const shell = spec.command.kind === 'shell';
  return {
    ...EMPTY_LAUNCH,
    command: spec.command.kind === 'shell' ? spec.command.script : joinArgv([spec.command.program, ...spec.command.args]),
    runAs: shell ? 'shell' : 'argv',
    cwd: spec.cwd ?? '',
    env: Object.entries(spec.env.set)
      .filter(([key, value]) => writableAsEnvLine(key, value))
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
    envMode: spec.env.mode,
    timeout: spec.timeoutMs === undefined ? '' : seconds(spec.timeoutMs),
    name: `${source.name} copy`,
  };
}

function schedulingValuesOf(spec: JobSpec): SchedulingValues {
  const { restart, affinity } = spec;
  return {
    ...EMPTY_SCHEDULING,
    group: spec.group === 'default' ? '' : spec.group,
    priority: spec.priority === 0 ? '' : String(spec.priority),
    // Left out on purpose: the jobs it waited for have run; the operator picks again if wanted.
    dependsOn: [],
    restartWhen: restart.when,
    backoff: {
      initialDelay: seconds(restart.initialDelayMs),
      factor: String(restart.factor),
      maxDelay: seconds(restart.maxDelayMs),
      maxRestarts: String(restart.maxRestarts),
      window: seconds(restart.windowMs),
      minUptime: seconds(restart.minUptimeMs),
    },
    affinityMode: affinity.mode,
    cores: affinity.mode === 'none' ? [] : [...(affinity.cores ?? [])],
    nice: spec.nice === undefined ? '' : String(spec.nice),
    mergeStderr: spec.mergeStderr,
  };
}

function whereValuesOf(spec: JobSpec): WhereValues {
  const where = placementOf(spec);
  if (where.kind === 'local') return EMPTY_WHERE;
  const text = (n: number | undefined, scale = 1) => (n === undefined ? '' : String(n / scale));
  return {
    kind: 'slurm',
    partition: where.partition ?? '',
    cpus: text(where.cpus),
    memoryMiB: text(where.memoryBytes, 1024 * 1024),
    timeLimitMinutes: text(where.timeLimitMs, 60_000),
    nodes: text(where.nodes),
  };
}

const principalText = (principal: string | number | undefined) => (principal === undefined ? '' : String(principal));

function isolationValuesOf(spec: JobSpec): IsolationValues {
  const overrides: LimitOverrides = spec.isolation?.overrides ?? {};
  const values: IsolationValues = { ...EMPTY_ISOLATION, level: spec.isolation?.level ?? null };
  for (const { field, limit, scale } of NUMERIC_OVERRIDES) {
    const value = overrides[limit];
    if (value === null) values[field] = 'none';
    else if (value !== undefined) values[field] = String(value / scale);
  }
  if (overrides.cleanEnv !== undefined) values.cleanEnv = overrides.cleanEnv ? 'yes' : 'no';
  if (spec.runAs) {
    const user = principalText(spec.runAs.uid);
    values.runAs = spec.runAs.gid === undefined ? user : `${user}:${principalText(spec.runAs.gid)}`;
  }
  return values;
}

/** The same value, whatever order its keys were written in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Paths (one level into objects) where two specs differ. */
function differingPaths(original: Record<string, unknown>, rebuilt: Record<string, unknown>, prefix = ''): string[] {
  const keys = [...new Set([...Object.keys(original), ...Object.keys(rebuilt)])].sort();
  return keys.flatMap((key) => {
    const [a, b] = [original[key], rebuilt[key]];
    if (canonical(a) === canonical(b)) return [];
    const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
    return bothObjects && prefix === '' ? differingPaths(a as Record<string, unknown>, b as Record<string, unknown>, `${key}.`) : [`${prefix}${key}`];
  });
}

/** The operator's words for what the form could not carry over. */
function describePath(path: string, spec: JobSpec, jobNames: Readonly<Record<string, string>>): string {
  switch (path) {
    case 'dependsOn':
      return `depends on ${spec.dependsOn.map((id) => jobNames[id] ?? id).join(', ')}`;
    case 'stdin':
      return `stdin ${spec.stdin}`;
    case 'graceMs':
      return `grace period ${seconds(spec.graceMs)} s`;
    case 'env.allow':
      return `the variables a clean environment keeps (${spec.env.allow.join(', ') || 'none'})`;
    case 'env.set':
      return 'environment values the form cannot write as KEY=value lines';
    case 'isolation.overrides':
      return "isolation overrides the form has no field for (e.g. the sandbox's working directory)";
    case 'affinity.cores':
      return `the order of the cores (${spec.affinity.mode === 'none' ? '' : (spec.affinity.cores ?? []).join(', ')}): the form takes them in ascending order`;
    case 'runAs':
      return spec.where?.kind === 'slurm' ? 'run as (not used on the cluster)' : 'run as';
    case 'restart.initialDelayMs':
    case 'restart.factor':
    case 'restart.maxDelayMs':
    case 'restart.maxRestarts':
    case 'restart.windowMs':
    case 'restart.minUptimeMs':
      return `restart backoff ${path.slice('restart.'.length)} (restart is ${spec.restart.when})`;
    default:
      if (path.startsWith('isolation') && spec.where?.kind === 'slurm') return 'isolation (not used on the cluster)';
      return path;
  }
}

/**
 * The launch form filled from a job's spec: the inverse of specFromForm, so that Start builds
 * the same spec again under the new name. Whatever the form has no field for is named in
 * `notCopied` (found by building the spec back and comparing, so nothing is dropped unsaid).
 */
export function cloneIntoForm(
  source: CloneSource,
  defaultLevel: IsolationLevel,
  jobNames: Readonly<Record<string, string>> = {},
): ClonedForm {
  const { spec } = source;
  const form: LaunchFormValues = {
    launch: launchValuesOf(source),
    scheduling: schedulingValuesOf(spec),
    where: whereValuesOf(spec),
    isolation: isolationValuesOf(spec),
    alerts: spec.alerts.map((rule) => ({ ...rule })),
  };
  const notCopied: string[] = [];
  const built = specFromForm(form, defaultLevel);
  let rebuilt: JobSpec | undefined;
  if ('errors' in built) {
    notCopied.push(`the spec could not be read back (${Object.values({ ...built.errors, ...built.isolationErrors }).join('; ')})`);
  } else {
    rebuilt = jobSpecSchema.parse(built.spec);
    // Absent isolation means the settings' default level, absent where this machine: the same job either way.
    const normal = (s: JobSpec) => ({ ...s, name: undefined, isolation: s.isolation ?? { level: defaultLevel, overrides: {} }, where: placementOf(s) });
    const paths = differingPaths(normal(spec), normal(rebuilt));
    notCopied.push(...new Set(paths.map((path) => describePath(path, spec, jobNames))));
  }
  if (source.declared) {
    notCopied.push(`what ${source.declared.file} declares beyond the spec for ${source.declared.name} (readiness and liveness probes, schedule, watch, autostart)`);
  }
  return { form, notCopied, ...(rebuilt && { rebuilt }) };
}
