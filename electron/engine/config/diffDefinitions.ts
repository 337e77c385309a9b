import type { DeclaredJob } from '../../../shared/config/declaredJob';
import type { FileJob } from '../../../shared/config/fileSchema';
import { dependencyOrder } from './dependencies';
import { toFileJob } from './toFileJob';

/**
 * What changes between the definitions in force and a file's new ones: added, removed and
 * changed definitions (with the keys that changed, in the file's words), and for applying
 * it, which running services to restart and in what order.
 */

export interface DefinitionChange {
  name: string;
  /** The file's keys whose value differs ("command", "env", "readiness"…), in the file's order. */
  fields: (keyof FileJob)[];
  /** Whether a running service must restart to take the change (see RESTART_FIELDS). */
  needsRestart: boolean;
  before: DeclaredJob;
  after: DeclaredJob;
}

export interface DefinitionDiff {
  /** In dependency order (the order to start them in). */
  added: DeclaredJob[];
  removed: DeclaredJob[];
  /** In dependency order of the new definitions. */
  changed: DefinitionChange[];
  unchanged: string[];
}

/**
 * Keys that shape the process itself: a running service only takes a change of these by
 * restarting. The others (autostart, restart policy, dependsOn, probes, schedule, watch,
 * group, priority, alerts, timeout, gracePeriod, labels) the engine applies without a restart.
 */
export const RESTART_FIELDS: readonly (keyof FileJob)[] = ['command', 'cwd', 'env', 'envFile', 'inheritEnv', 'stdin', 'affinity', 'nice', 'isolation', 'runAs', 'where'];

const FIELD_ORDER = ['command', 'cwd', 'env', 'envFile', 'inheritEnv', 'stdin', 'autostart', 'restart', 'dependsOn', 'readiness', 'liveness', 'schedule', 'watch', 'group', 'priority', 'affinity', 'nice', 'isolation', 'runAs', 'alerts', 'timeout', 'gracePeriod', 'labels', 'where'] as const satisfies readonly (keyof FileJob)[];

export function diffDefinitions(before: readonly DeclaredJob[], after: readonly DeclaredJob[]): DefinitionDiff {
  const old = new Map(before.map((job) => [job.name, job]));
  const next = new Map(after.map((job) => [job.name, job]));
  const order = dependencyOrder(after);
  const diff: DefinitionDiff = { added: [], removed: before.filter((job) => !next.has(job.name)), changed: [], unchanged: [] };
  for (const name of order) {
    const job = next.get(name)!;
    const previous = old.get(name);
    if (!previous) {
      diff.added.push(job);
      continue;
    }
    const fields = changedFields(previous, job);
    if (fields.length === 0) diff.unchanged.push(name);
    else diff.changed.push({ name, fields, needsRestart: fields.some((field) => RESTART_FIELDS.includes(field)), before: previous, after: job });
  }
  return diff;
}

/** The changed services that are running and must restart, one at a time in this order (dependencies first). */
export function restartOrder(diff: DefinitionDiff, isRunning: (name: string) => boolean): string[] {
  return diff.changed.filter((change) => change.needsRestart && isRunning(change.name)).map((change) => change.name);
}

// Compared as the file would say them, with absolute paths and envFile's values inlined:
// an edit of the env file itself is a change of `env`.
function changedFields(before: DeclaredJob, after: DeclaredJob): (keyof FileJob)[] {
  const a = toFileJob(before, { inlineEnvFile: true }) as Record<string, unknown>;
  const b = toFileJob(after, { inlineEnvFile: true }) as Record<string, unknown>;
  return FIELD_ORDER.filter((field) => canonical(a[field]) !== canonical(b[field]));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v)) ?? 'undefined';
}
