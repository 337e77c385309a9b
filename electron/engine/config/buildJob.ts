import { relative } from 'node:path';
import type { DeclaredDependency, DeclaredJob, DeclaredJobInput } from '../../../shared/config/declaredJob';
import { declaredJobSchema } from '../../../shared/config/declaredJob';
import type { FileJob } from '../../../shared/config/fileSchema';
import { DEFAULT_CLEAN_ENV_ALLOWLIST, MAX_TIMEOUT_MS, type JobSpecInput } from '../../../shared/jobSpec';
import { readEnvFile } from './envFile';
import type { FieldReader } from './fieldReader';
import { readCommand, readProbe, readSchedule, readWatch } from './serviceParts';
import { dropUndefined, readAffinity, readAlerts, readIsolation, readPlacement, readRestart, readRunAs } from './specParts';

/**
 * One definition of a file into a DeclaredJob: the job spec in the engine's units plus the
 * service parts. `job` holds the keys whose values passed the file's schema (all of them,
 * for a job it accepted). Every value is read even after one was refused, so the whole
 * file's problems come out at once; undefined when any was, or when the command was refused.
 */
export function buildJob(reader: FieldReader, name: string, job: Partial<FileJob>): DeclaredJob | undefined {
  const before = reader.problems.problems.length;
  const optional = <K extends keyof FileJob, T>(key: K, read: (value: NonNullable<FileJob[K]>) => T): T | undefined =>
    job[key] === undefined ? undefined : read(job[key] as NonNullable<FileJob[K]>);

  const envFile = optional('envFile', (path) => readEnv(reader, reader.path(path)));
  const declaredEnv = Object.fromEntries(Object.entries(job.env ?? {}).map(([key, value]) => [key, String(value)]));
  const spec: Omit<JobSpecInput, 'command'> & { command?: JobSpecInput['command'] } = {
    name,
    command: job.command === undefined ? undefined : readCommand(job.command),
    cwd: job.cwd === undefined ? reader.dir : readCwd(reader, job.cwd),
    env: {
      ...readInheritEnv(job.inheritEnv),
      set: { ...envFile?.values, ...declaredEnv },
    },
    stdin: job.stdin,
    timeoutMs: optional('timeout', (text) => reader.duration(['timeout'], text, { min: 1, max: MAX_TIMEOUT_MS })),
    graceMs: optional('gracePeriod', (text) => reader.duration(['gracePeriod'], text, { max: 600_000 })),
    group: job.group,
    priority: job.priority,
    restart: optional('restart', (restart) => readRestart(reader, restart)),
    affinity: optional('affinity', (affinity) => readAffinity(reader, affinity)),
    nice: job.nice,
    isolation: optional('isolation', (isolation) => readIsolation(reader, isolation)),
    runAs: optional('runAs', readRunAs),
    alerts: optional('alerts', (alerts) => readAlerts(reader, alerts)),
    where: optional('where', (where) => readPlacement(reader, where)),
  };
  const declared: Omit<DeclaredJobInput, 'spec'> & { spec: typeof spec } = {
    name,
    spec,
    autostart: job.autostart,
    dependsOn: optional('dependsOn', readDependencies),
    readiness: optional('readiness', (probe) => readProbe(reader, 'readiness', probe)),
    liveness: optional('liveness', (probe) => readProbe(reader, 'liveness', probe)),
    schedule: optional('schedule', (schedule) => readSchedule(reader, schedule)),
    watch: optional('watch', (watch) => readWatch(reader, watch)),
    labels: optional('labels', (labels) => Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, String(value)]))),
    envFile: envFile && { path: envFile.path, names: Object.keys(envFile.values).filter((key) => !(key in declaredEnv)) },
  };
  // A job the schema refused is read all the same, for the problems of its other keys.
  if (reader.problems.problems.length > before || !spec.command) return undefined;
  // The job spec's own schema has the last word (bounds, NUL bytes…); its complaints land on the file's key.
  return reader.typed(declaredJobSchema, dropUndefined({ ...declared, spec: dropUndefined(spec) }), [], fileKeysOfDeclared);
}

/** Where a complaint of the declared job's schema belongs in the file: spec.timeoutMs is `timeout`. */
function fileKeysOfDeclared(path: readonly PropertyKey[]): PropertyKey[] {
  if (path[0] !== 'spec') return path.slice(0, 1);
  const key = String(path[1] ?? 'command');
  return [SPEC_FILE_KEYS[key] ?? key, ...(key === 'alerts' && typeof path[2] === 'number' ? [path[2]] : [])];
}
const SPEC_FILE_KEYS: Record<string, string> = { timeoutMs: 'timeout', graceMs: 'gracePeriod', name: 'command' };

function readCwd(reader: FieldReader, text: string): string {
  const cwd = reader.path(text);
  reader.expectDirectory(['cwd'], cwd, 'cwd');
  return cwd;
}

function readInheritEnv(inheritEnv: FileJob['inheritEnv']): { mode: 'inherit' | 'clean'; allow?: string[] } {
  if (inheritEnv === undefined || inheritEnv === true) return { mode: 'inherit' };
  return { mode: 'clean', allow: inheritEnv === false ? [...DEFAULT_CLEAN_ENV_ALLOWLIST] : inheritEnv };
}

export function readDependencies(dependsOn: NonNullable<FileJob['dependsOn']>): DeclaredDependency[] {
  if (Array.isArray(dependsOn)) return [...new Set(dependsOn)].map((name) => ({ name, condition: 'started', onUnhealthy: 'tell' }));
  return Object.entries(dependsOn).map(([name, value]) =>
    typeof value === 'string' ? { name, condition: value, onUnhealthy: 'tell' } : { name, condition: value.condition, onUnhealthy: value.onUnhealthy ?? 'tell' },
  );
}

function readEnv(reader: FieldReader, path: string): { path: string; values: Record<string, string> } | undefined {
  const result = readEnvFile(path);
  if (result.ok) return { path, values: result.values };
  if ('unreadable' in result) {
    reader.problem(['envFile'], `envFile ${result.unreadable}`, 'env-file');
    return undefined;
  }
  // A bad line of the env file is placed in the env file itself, where it is to be fixed.
  const shown = relative(reader.dir, path) || path;
  for (const error of result.errors) reader.problems.problems.push({ kind: 'env-file', file: path, line: error.line, column: error.column, path: '', message: `${error.message} (envFile of ${String(reader.base[reader.base.length - 1])}, ${shown})` });
  return undefined;
}
