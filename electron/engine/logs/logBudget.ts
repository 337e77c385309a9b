import { formatBytes } from '../../../shared/format';
import type { RunLogRemoval } from '../../../shared/run';
import type { LogSpace, RunLogSpace } from './logSpace';

/** A run's log deleted whole by the budget: its record keeps saying so. */
export interface DeletedRunLog {
  jobId: string;
  runId: string;
  removal: RunLogRemoval;
}

export interface LogBudgetOptions {
  space: LogSpace;
  /** settings.logBudgetBytes. */
  limit(): number;
  /** How the operator knows the run: "job build, run 3". */
  describe(jobId: string, runId: string): string;
  /** Logs deleted whole (their records say so from now on). */
  deleted(runs: DeletedRunLog[]): void;
  notice(message: string): void;
}

/** The most deletions one notice names; the rest are counted. */
const NAMED_IN_NOTICE = 10;

/** Why, in the words the record, logs.tail and the notice use. */
export const budgetReason = (limit: number) => `to keep logs under the ${formatBytes(limit)} budget`;

/**
 * Keeps all run logs within settings.logBudgetBytes, oldest first: whole logs of ended runs
 * (the oldest ended first), then rotated parts of live runs (the oldest part first); never the
 * file a live run is writing. Looked at once per event-loop turn after output grew the space
 * over the budget (not inside a pipe's write), and at once when the budget is lowered. Each
 * pass that deletes says so in one notice; live runs' current files alone over the budget are
 * said once, until the space is under it again.
 */
export class LogBudget {
  private scheduled = false;
  private overWithOnlyLiveFiles = false;
  /** After a pass that stayed over the budget: the space's deletableChanges then (nothing new to delete until it moves). */
  private stuckAt?: number;
  /** Live runs whose older parts were said to go: later ones of the same run go unsaid (one notice per run, not per rotation). */
  private readonly partsSaid = new Set<string>();

  constructor(private readonly options: LogBudgetOptions) {}

  /** The space grew: over the budget, a pass runs on the next turn of the event loop. */
  grew(): void {
    const { space } = this.options;
    if (this.scheduled || space.bytes <= this.options.limit() || space.deletableChanges === this.stuckAt) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.enforce();
    });
  }

  /** Deletes what must go for the space to be within the budget now. */
  enforce(): void {
    const { space } = this.options;
    const limit = this.options.limit();
    this.stuckAt = undefined;
    if (space.bytes <= limit) {
      this.overWithOnlyLiveFiles = false;
      return;
    }
    const said: string[] = [];
    const deletedRuns: DeletedRunLog[] = [];
    const reason = budgetReason(limit);
    for (const entry of space.endedOldestFirst()) {
      if (space.bytes <= limit) break;
      const freed = space.deleteRun(entry);
      deletedRuns.push({ jobId: entry.jobId, runId: entry.runId, removal: { at: Date.now(), reason, bytes: freed } });
      said.push(`the log of ${this.options.describe(entry.jobId, entry.runId)} (${formatBytes(freed)})`);
    }
    if (space.bytes > limit) said.push(...this.deleteLiveParts(limit));
    if (deletedRuns.length > 0) this.options.deleted(deletedRuns);
    if (said.length > 0) {
      const named = said.slice(0, NAMED_IN_NOTICE).join(', ');
      const more = said.length > NAMED_IN_NOTICE ? ` and ${said.length - NAMED_IN_NOTICE} more` : '';
      this.options.notice(`deleted ${named}${more} ${reason} (logBudgetBytes); logs now take ${formatBytes(space.bytes)} in ${space.logsDir}`);
    }
    if (space.bytes > limit) this.stuckAt = space.deletableChanges;
    if (space.bytes > limit && !this.overWithOnlyLiveFiles) {
      this.overWithOnlyLiveFiles = true;
      this.options.notice(
        `logs take ${formatBytes(space.bytes)}, over the ${formatBytes(limit)} budget (logBudgetBytes), in the files live runs are writing: those are never deleted; lower logMaxBytes or raise the budget`,
      );
    } else if (space.bytes <= limit) {
      this.overWithOnlyLiveFiles = false;
    }
  }

  /** Rotated parts of live runs, the oldest first across all of them; what went, in the notice's words. */
  private deleteLiveParts(limit: number): string[] {
    const { space } = this.options;
    const parts: { entry: RunLogSpace; path: string; mtimeMs: number }[] = [];
    for (const entry of space.liveRuns()) for (const part of space.rotatedParts(entry)) parts.push({ entry, ...part });
    parts.sort((a, b) => a.mtimeMs - b.mtimeMs);
    const said: string[] = [];
    for (const { entry, path } of parts) {
      if (space.bytes <= limit) break;
      const freed = space.deletePart(entry, path);
      if (freed === 0 || this.partsSaid.has(entry.path)) continue;
      this.partsSaid.add(entry.path);
      said.push(`older output of ${this.options.describe(entry.jobId, entry.runId)} (${path}, ${formatBytes(freed)}; its older parts go the same way while it writes, unsaid)`);
    }
    for (const path of this.partsSaid) if (!space.isLive(path)) this.partsSaid.delete(path);
    return said;
  }
}
