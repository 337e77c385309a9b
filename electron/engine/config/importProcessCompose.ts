import { dirname, resolve } from 'node:path';
import { escapeRegExp } from '../../../shared/safeRegex';
import type { ConfigResult } from '../../../shared/config/problems';
import { didYouMean } from './didYouMean';
import { buildDefinitions, readConfigText } from './loadConfig';
import { ProblemList, readYaml, type Locator, type PointAt, type YamlLocator } from './yamlSource';

/**
 * A process-compose.yaml (its common subset) as definitions. Every key it does not
 * understand is a warning at its line and column, never silently dropped; a value it cannot
 * translate is an error, and then nothing is imported. The keys understood, and what they
 * become, are listed in UNDERSTOOD (the README's table is written from it).
 */

type Json = Record<string, unknown>;
type Path = PropertyKey[];

export const UNDERSTOOD = {
  top: ['version', 'processes', 'environment'],
  process: ['command', 'working_dir', 'environment', 'depends_on', 'readiness_probe', 'liveness_probe', 'ready_log_line', 'availability', 'disabled', 'shutdown', 'description', 'namespace'],
  probe: ['exec', 'http_get', 'initial_delay_seconds', 'period_seconds', 'timeout_seconds', 'success_threshold', 'failure_threshold'],
  exec: ['command'],
  httpGet: ['host', 'port', 'path', 'scheme', 'status_code'],
  availability: ['restart', 'backoff_seconds', 'max_restarts'],
  shutdown: ['timeout_seconds'],
  dependency: ['condition'],
} as const;

const CONDITIONS: Record<string, 'started' | 'healthy' | 'succeeded'> = {
  process_started: 'started',
  process_healthy: 'healthy',
  process_log_ready: 'healthy',
  process_completed_successfully: 'succeeded',
  // "Exited with any code" has no Procdeck condition: the nearest is exit 0, and a warning says so.
  process_completed: 'succeeded',
};
const RESTARTS: Record<string, 'no' | 'on-failure' | 'always'> = { no: 'no', on_failure: 'on-failure', 'on-failure': 'on-failure', always: 'always', exit_on_failure: 'no' };

export function importProcessComposeFile(path: string): ConfigResult {
  const text = readConfigText(path);
  if (typeof text !== 'string') return { ok: false, errors: [text], warnings: [] };
  return importProcessCompose(text, path);
}

export function importProcessCompose(text: string, file: string): ConfigResult {
  const source = readYaml(text, file);
  if (source.errors.length) return { ok: false, errors: source.errors, warnings: source.warnings };
  const reader = new ComposeReader(source.locator);
  reader.warnings.problems.push(...source.warnings);
  const jobs = reader.read(source.value);
  const locator = new ComposeLocator(source.locator, reader.readinessFromLogLine);
  const result = buildDefinitions({ jobs }, locator, dirname(resolve(file)), reader.warnings.problems);
  if (reader.errors.empty) return result;
  return { ok: false, errors: [...reader.errors.problems, ...(result.ok ? [] : result.errors)], warnings: result.warnings };
}

class ComposeReader {
  readonly errors: ProblemList;
  readonly warnings: ProblemList;
  /** Jobs whose readiness is their ready_log_line, for placing problems. */
  readonly readinessFromLogLine = new Set<string>();

  constructor(locator: YamlLocator) {
    this.errors = new ProblemList(locator);
    this.warnings = new ProblemList(locator);
  }

  read(value: unknown): Json {
    if (!isObject(value)) return this.failWith({}, [], 'a process-compose file is a mapping with processes:');
    this.unknownKeys(value, [], UNDERSTOOD.top, 'at the top of a process-compose file');
    if (!isObject(value.processes)) return this.failWith({}, ['processes'], 'processes maps process names to their definitions');
    const globalEnv = value.environment === undefined ? {} : this.environment(value.environment, ['environment']);
    const jobs: Json = {};
    for (const [name, process] of Object.entries(value.processes)) {
      if (!isObject(process)) this.fail(['processes', name], `process ${name} is a mapping (command, working_dir, …)`);
      else jobs[name] = this.process(name, process, globalEnv);
    }
    return jobs;
  }

  private process(name: string, process: Json, globalEnv: Json): Json {
    const at = (...path: PropertyKey[]): Path => ['processes', name, ...path];
    this.unknownKeys(process, at(), UNDERSTOOD.process, `in process ${name}`);
    const job: Json = { command: process.command, autostart: true };
    if (process.working_dir !== undefined) job.cwd = process.working_dir;
    const env = { ...globalEnv, ...(process.environment === undefined ? {} : this.environment(process.environment, at('environment'))) };
    if (Object.keys(env).length) job.env = env;
    if (process.disabled !== undefined) {
      if (typeof process.disabled === 'boolean') job.autostart = !process.disabled;
      else this.fail(at('disabled'), 'disabled is true or false');
    }
    if (process.depends_on !== undefined) job.dependsOn = this.dependsOn(process.depends_on, at('depends_on'));
    if (process.readiness_probe !== undefined) job.readiness = this.probe(process.readiness_probe, at('readiness_probe'));
    if (process.liveness_probe !== undefined) job.liveness = this.probe(process.liveness_probe, at('liveness_probe'));
    if (process.ready_log_line !== undefined) {
      if (job.readiness !== undefined) this.warn(at('ready_log_line'), 'not imported: the readiness_probe is this process\'s readiness (Procdeck has one)');
      else if (typeof process.ready_log_line !== 'string') this.fail(at('ready_log_line'), 'ready_log_line is text');
      else {
        job.readiness = { log: escapeRegExp(process.ready_log_line) };
        this.readinessFromLogLine.add(name);
      }
    }
    if (process.availability !== undefined) job.restart = this.availability(process.availability, at('availability'));
    if (process.shutdown !== undefined && isObject(process.shutdown)) {
      this.unknownKeys(process.shutdown, at('shutdown'), UNDERSTOOD.shutdown, 'in shutdown', 'Procdeck stops a job with SIGTERM, then SIGKILL after gracePeriod');
      const grace = this.seconds(process.shutdown.timeout_seconds, at('shutdown', 'timeout_seconds'));
      if (grace) job.gracePeriod = grace;
    } else if (process.shutdown !== undefined) this.fail(at('shutdown'), 'shutdown is a mapping');
    const labels = Object.fromEntries((['description', 'namespace'] as const).filter((key) => process[key] !== undefined).map((key) => [key, process[key]]));
    if (Object.keys(labels).length) job.labels = labels;
    return job;
  }

  private environment(value: unknown, path: Path): Json {
    if (isObject(value)) return value;
    if (!Array.isArray(value)) return this.failWith({}, path, 'environment is a list of NAME=value or a mapping');
    const env: Json = {};
    value.forEach((entry, index) => {
      const eq = typeof entry === 'string' ? entry.indexOf('=') : -1;
      if (eq <= 0) this.fail([...path, index], `an environment entry is NAME=value, not ${JSON.stringify(entry)}`);
      else env[(entry as string).slice(0, eq)] = (entry as string).slice(eq + 1);
    });
    return env;
  }

  private dependsOn(value: unknown, path: Path): Json | undefined {
    if (!isObject(value)) return this.fail(path, 'depends_on maps process names to {condition: …}');
    const deps: Json = {};
    for (const [name, dependency] of Object.entries(value)) {
      const condition = dependency === null ? 'process_started' : isObject(dependency) ? (dependency.condition ?? 'process_started') : undefined;
      if (isObject(dependency)) this.unknownKeys(dependency, [...path, name], UNDERSTOOD.dependency, `in the dependency on ${name}`);
      if (typeof condition !== 'string' || !Object.hasOwn(CONDITIONS, condition)) {
        this.fail([...path, name, ...(isObject(dependency) ? ['condition'] : [])], `condition is one of ${Object.keys(CONDITIONS).join(', ')}${typeof condition === 'string' ? didYouMean(condition, Object.keys(CONDITIONS)) : ''}`);
        continue;
      }
      if (condition === 'process_completed') this.warn([...path, name, 'condition'], 'process_completed (any exit code) has no Procdeck equivalent: imported as succeeded, which waits for exit code 0');
      deps[name] = CONDITIONS[condition];
    }
    return deps;
  }

  private probe(value: unknown, path: Path): Json | undefined {
    if (!isObject(value)) return this.fail(path, 'a probe is a mapping with exec or http_get');
    this.unknownKeys(value, path, UNDERSTOOD.probe, 'in a probe');
    const probe: Json = {};
    if (value.exec !== undefined) {
      if (!isObject(value.exec)) this.fail([...path, 'exec'], 'exec is a mapping with command');
      else {
        this.unknownKeys(value.exec, [...path, 'exec'], UNDERSTOOD.exec, 'in exec', 'the probe runs in the process\'s working directory');
        probe.exec = value.exec.command;
      }
    }
    if (value.http_get !== undefined) Object.assign(probe, this.httpGet(value.http_get, [...path, 'http_get']));
    const timings = { initialDelay: 'initial_delay_seconds', interval: 'period_seconds', timeout: 'timeout_seconds' } as const;
    for (const [key, pcKey] of Object.entries(timings)) {
      const duration = this.seconds(value[pcKey], [...path, pcKey]);
      if (duration) probe[key] = duration;
    }
    for (const [key, pcKey] of [['successThreshold', 'success_threshold'], ['failureThreshold', 'failure_threshold']] as const) {
      // process-compose reads a threshold below 1 as its default, so does the import.
      if (typeof value[pcKey] === 'number' && (value[pcKey] as number) >= 1) probe[key] = value[pcKey];
      else if (value[pcKey] !== undefined && typeof value[pcKey] !== 'number') this.fail([...path, pcKey], `${pcKey} is a number`);
    }
    return probe;
  }

  private httpGet(value: unknown, path: Path): Json {
    if (!isObject(value)) return this.failWith({}, path, 'http_get is a mapping with host, port, path, scheme');
    this.unknownKeys(value, path, UNDERSTOOD.httpGet, 'in http_get');
    const scheme = String(value.scheme ?? 'http').toLowerCase();
    const host = String(value.host ?? '127.0.0.1');
    const port = value.port === undefined ? '' : `:${String(value.port)}`;
    const urlPath = String(value.path ?? '/');
    if (scheme !== 'http' && scheme !== 'https') this.fail([...path, 'scheme'], `scheme is http or https (got ${JSON.stringify(value.scheme)})`);
    const http: Json = { http: `${scheme}://${host.includes(':') ? `[${host}]` : host}${port}${urlPath.startsWith('/') ? urlPath : `/${urlPath}`}` };
    if (value.status_code !== undefined) http.status = value.status_code;
    return http;
  }

  private availability(value: unknown, path: Path): unknown {
    if (!isObject(value)) return this.fail(path, 'availability is a mapping with restart, backoff_seconds, max_restarts');
    this.unknownKeys(value, path, UNDERSTOOD.availability, 'in availability');
    const word = value.restart === undefined ? 'no' : Object.hasOwn(RESTARTS, String(value.restart)) ? RESTARTS[String(value.restart)] : undefined;
    if (!word) return this.fail([...path, 'restart'], `restart is one of no, on_failure, always, exit_on_failure${didYouMean(String(value.restart), Object.keys(RESTARTS))}`);
    if (value.restart === 'exit_on_failure') this.warn([...path, 'restart'], 'exit_on_failure is imported as no: Procdeck does not shut down when one job fails');
    const restart: Json = { policy: word };
    // process-compose waits the same time before every restart.
    const backoff = this.seconds(value.backoff_seconds, [...path, 'backoff_seconds']);
    if (backoff) restart.backoff = { initial: backoff, factor: 1, max: backoff };
    if (typeof value.max_restarts === 'number' && value.max_restarts > 0) {
      // process-compose counts restarts over the whole run: the widest window Procdeck counts in.
      restart.maxRestarts = value.max_restarts;
      restart.window = '7d';
    } else if (value.max_restarts !== undefined && typeof value.max_restarts !== 'number') this.fail([...path, 'max_restarts'], 'max_restarts is a number');
    return Object.keys(restart).length === 1 ? word : restart;
  }

  /** A number of seconds as a duration; 0 (process-compose's "default") and absent as nothing. */
  private seconds(value: unknown, path: Path): string | undefined {
    if (value === undefined || value === 0) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return this.fail(path, `a number of seconds, not ${JSON.stringify(value)}`);
    return `${value}s`;
  }

  private unknownKeys(value: Json, path: Path, known: readonly string[], where: string, why?: string): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const hint = didYouMean(key, known);
      this.warn([...path, key], `not imported: "${key}" ${where} is not one of the keys the import understands${hint}${why ? ` (${why})` : ''}`);
    }
  }

  private warn(path: Path, message: string): void {
    this.warnings.add('not-imported', path, message, 'key');
  }

  private failWith<T>(fallback: T, path: Path, message: string): T {
    this.errors.add('bad-value', path, message);
    return fallback;
  }

  private fail(path: Path, message: string): undefined {
    this.errors.add('bad-value', path, message);
    return undefined;
  }
}

/** A problem about the translated definition is placed at the process-compose key it came from. */
class ComposeLocator implements Locator {
  constructor(
    private readonly source: YamlLocator,
    private readonly readinessFromLogLine: ReadonlySet<string>,
  ) {}

  get file(): string {
    return this.source.file;
  }

  locate(path: readonly PropertyKey[], at: PointAt): { line: number; column: number } {
    return this.source.locate(this.sourcePath(path), at);
  }

  /** ['jobs', 'api', 'readiness', 'interval'] → ['processes', 'api', 'readiness_probe', 'period_seconds']. */
  sourcePath(path: readonly PropertyKey[]): PropertyKey[] {
    const [, name, key, ...rest] = path;
    if (name === undefined) return ['processes'];
    if (key === undefined) return ['processes', name];
    const first = String(rest[0]);
    const mapped = (() => {
      if (key === 'readiness' && this.readinessFromLogLine.has(String(name))) return ['ready_log_line'];
      if (key === 'readiness' || key === 'liveness') return [`${key}_probe`, ...(lookup(PROBE_KEYS, first) ?? [])];
      if (key === 'restart') return ['availability', ...(lookup(RESTART_KEYS, first) ?? [])];
      if (key === 'dependsOn') return ['depends_on', ...rest];
      if (key === 'env') return ['environment', ...rest];
      return lookup(JOB_KEYS, String(key)) ?? [];
    })();
    return ['processes', name, ...mapped];
  }
}

const lookup = (table: Record<string, string[]>, key: string): string[] | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

const JOB_KEYS: Record<string, string[]> = { command: ['command'], cwd: ['working_dir'], autostart: ['disabled'], gracePeriod: ['shutdown', 'timeout_seconds'], labels: ['description'] };
const PROBE_KEYS: Record<string, string[]> = {
  http: ['http_get'],
  status: ['http_get', 'status_code'],
  exec: ['exec', 'command'],
  initialDelay: ['initial_delay_seconds'],
  interval: ['period_seconds'],
  timeout: ['timeout_seconds'],
  successThreshold: ['success_threshold'],
  failureThreshold: ['failure_threshold'],
};
const RESTART_KEYS: Record<string, string[]> = { policy: ['restart'], backoff: ['backoff_seconds'], maxRestarts: ['max_restarts'], window: ['max_restarts'] };

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
