import type { DeclaredAt, DeclaredJob } from './declaredJob';

/**
 * What is wrong with a config file (or an imported Procfile / process-compose file), where:
 * every problem names the file, the line and column (1-based), the key path and what was
 * wrong. Errors make the whole file refused; warnings (keys an import does not understand)
 * are reported beside the definitions.
 */
export const CONFIG_PROBLEM_KINDS = [
  'syntax',
  'unknown-key',
  'missing-key',
  'wrong-type',
  'bad-value',
  'duplicate-name',
  'unknown-dependency',
  'dependency-cycle',
  'env-file',
  'probe-kinds',
  'bad-cron',
  'unreadable-file',
  'not-imported',
] as const;
export type ConfigProblemKind = (typeof CONFIG_PROBLEM_KINDS)[number];

export interface ConfigProblem {
  kind: ConfigProblemKind;
  file: string;
  line: number;
  column: number;
  /** The key path in the file, dotted: "jobs.web.readiness.interval" ("" for the file itself). */
  path: string;
  message: string;
}

/** A file read whole: every definition, or (when anything is wrong) none and every error. */
export type ConfigResult =
  | { ok: true; jobs: DeclaredJob[]; declaredAt: Record<string, DeclaredAt>; warnings: ConfigProblem[] }
  | { ok: false; errors: ConfigProblem[]; warnings: ConfigProblem[] };

/** "procdeck.yaml:12:5: jobs.web.restart: …", the form compilers use, which editors and terminals link. */
export function formatProblem(problem: ConfigProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** "jobs.web.alerts[0].cpu" from ['jobs', 'web', 'alerts', 0, 'cpu']; a key that is not a plain word is quoted. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else {
      const key = String(part);
      text += /^[A-Za-z0-9_-]+$/.test(key) ? (text ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}
