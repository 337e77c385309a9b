import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DeclaredAt, DeclaredDependency, DeclaredJob } from '../../../shared/config/declaredJob';
import { configFileSchema, fileJobSchema, isExtensionKey, type FileJob } from '../../../shared/config/fileSchema';
import type { ConfigProblem, ConfigResult } from '../../../shared/config/problems';
import { buildJob, readDependencies } from './buildJob';
import { findCycles } from './dependencies';
import { didYouMean } from './didYouMean';
import { FieldReader } from './fieldReader';
import { ProblemList, readYaml, type Locator } from './yamlSource';
import { reportZodIssues } from './zodProblems';

/**
 * Reads a config file whole: every definition, or every error and no definition. Nothing
 * here has an effect; applying the result is the engine's, so a bad file changes nothing.
 */

export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export function loadConfigFile(path: string): ConfigResult {
  const file = resolve(path);
  const text = readConfigText(file);
  if (typeof text !== 'string') return { ok: false, errors: [text], warnings: [] };
  return parseConfig(text, file);
}

/** The text of a file, or the problem that it cannot be read as one. */
export function readConfigText(file: string): string | ConfigProblem {
  const unreadable = (message: string): ConfigProblem => ({ kind: 'unreadable-file', file, line: 1, column: 1, path: '', message });
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return unreadable(`${file} is not a regular file`);
    if (stat.size > MAX_CONFIG_BYTES) return unreadable(`the file is larger than 4 MiB (${stat.size} bytes)`);
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof TypeError) return unreadable('the file is not UTF-8 text');
    return unreadable(`the file cannot be read (${code ?? (error as Error).message})`);
  }
}

/** `file` names the text in every problem, and its directory is where relative paths start. */
export function parseConfig(text: string, file: string): ConfigResult {
  const source = readYaml(text, file);
  if (source.errors.length) return { ok: false, errors: source.errors, warnings: source.warnings };
  return buildDefinitions(source.value, source.locator, dirname(resolve(file)), [...source.warnings]);
}

/**
 * The definitions of a file's data (the config file's, or an importer's in the same shape):
 * the schema's complaints, then each definition read into a DeclaredJob (a definition the
 * schema refused, for the problems of its other keys), then the dependencies between them.
 */
export function buildDefinitions(value: unknown, locator: Locator, dir: string, warnings: ConfigProblem[] = []): ConfigResult {
  const problems = new ProblemList(locator);
  const notes = new ProblemList(locator);
  const graph: DependencyView[] = [];
  const data = withoutExtensionKeys(value);
  const parsed = configFileSchema.safeParse(data);
  if (!parsed.success) reportZodIssues(parsed.error.issues, configFileSchema, data, problems);
  const issues = parsed.success ? [] : parsed.error.issues;
  const fileJobs = jobsOf(data);
  const jobs: DeclaredJob[] = [];
  const declaredAt: Record<string, DeclaredAt> = {};
  for (const [name, job] of Object.entries(fileJobs)) {
    declaredAt[name] = { file: locator.file, ...locator.locate(['jobs', name], 'key') };
    const usable = usableKeys(job, issues.filter((issue) => issue.path[0] === 'jobs' && issue.path[1] === name));
    if (!usable) continue;
    // A job refused for one key is still read for the others' problems (its result is never returned then).
    const built = buildJob(new FieldReader(problems, dir, ['jobs', name], notes), name, usable);
    if (built) jobs.push(built);
    graph.push({ name, dependsOn: usable.dependsOn ? readDependencies(usable.dependsOn) : [], readiness: usable.readiness !== undefined, liveness: usable.liveness !== undefined });
  }
  checkDependencies(graph, fileJobs, problems, notes);
  warnings.push(...notes.problems);
  if (!problems.empty) return { ok: false, errors: sortByPlace(problems.problems), warnings: sortByPlace(warnings) };
  return { ok: true, jobs, declaredAt, warnings: sortByPlace(warnings) };
}

function withoutExtensionKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !isExtensionKey(key)));
}

function jobsOf(data: unknown): Record<string, unknown> {
  const jobs = (data as { jobs?: unknown } | null)?.jobs;
  return jobs !== null && typeof jobs === 'object' && !Array.isArray(jobs) ? (jobs as Record<string, unknown>) : {};
}

/** What the dependency checks need of a definition, also of one refused for another key. */
interface DependencyView {
  name: string;
  dependsOn: DeclaredDependency[];
  readiness: boolean;
  liveness: boolean;
}

/**
 * The keys of a definition whose values passed the schema (all of them when it passed).
 * Undefined when the definition is no mapping at all, or its name was refused.
 */
function usableKeys(job: unknown, issues: readonly { path: readonly PropertyKey[]; code?: string }[]): Partial<FileJob> | undefined {
  if (job === null || typeof job !== 'object' || Array.isArray(job)) return undefined;
  if (issues.some((issue) => issue.path.length <= 2 && issue.code !== 'unrecognized_keys')) return undefined;
  const bad = new Set(issues.map((issue) => String(issue.path[2])));
  const known = Object.keys(fileJobSchema.shape);
  return Object.fromEntries(Object.entries(job).filter(([key]) => known.includes(key) && !bad.has(key))) as Partial<FileJob>;
}

function checkDependencies(jobs: readonly DependencyView[], fileJobs: Record<string, unknown>, problems: ProblemList, warn: ProblemList): void {
  const names = Object.keys(fileJobs);
  const byName = new Map(jobs.map((job) => [job.name, job]));
  // The key of a dependency in the file: the name in the mapping form, its index in the list form.
  const entryPath = (job: string, dependency: string): PropertyKey[] => {
    const written = (fileJobs[job] as { dependsOn?: unknown }).dependsOn;
    return ['jobs', job, 'dependsOn', Array.isArray(written) ? written.indexOf(dependency) : dependency];
  };
  for (const job of jobs) {
    for (const dependency of job.dependsOn) {
      const path = entryPath(job.name, dependency.name);
      if (!names.includes(dependency.name)) {
        problems.add('unknown-dependency', path, `${job.name} depends on "${dependency.name}", which this file does not define${didYouMean(dependency.name, names)}`, 'key');
      } else if (dependency.condition === 'healthy' && byName.get(dependency.name)?.readiness === false) {
        warn.add('bad-value', path, `${dependency.name} has no readiness probe: "healthy" waits only for it to start`, 'key');
        if (dependency.onUnhealthy === 'stop' && !byName.get(dependency.name)!.liveness) {
          warn.add('bad-value', [...path, 'onUnhealthy'], `${dependency.name} has no probe, so it never turns unhealthy: onUnhealthy: stop never stops ${job.name}`, 'key');
        }
      }
    }
  }
  const declared = jobs.slice().sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
  for (const cycle of findCycles(declared)) {
    const loop = [...cycle, cycle[0]!].join(' → ');
    problems.add('dependency-cycle', entryPath(cycle[0]!, cycle[1] ?? cycle[0]!), `dependency cycle: ${loop} (no order can start these; remove one of the dependencies)`, 'key');
  }
}

function sortByPlace(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
}
