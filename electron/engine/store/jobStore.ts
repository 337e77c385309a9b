import { z } from 'zod';
import { jobSnapshotSchema, type JobSnapshot } from '../../../shared/jobSnapshot';
import { isActive } from '../../../shared/jobState';
import { readJsonOrSetAside, writeJsonAtomic } from './atomicJson';

const fileSchema = z.object({ version: z.literal(1), jobs: z.array(jobSnapshotSchema) });
const MAX_KEPT = 5000;

/** Job definitions and the outcome of their last run, kept across engine restarts. */
export class JobStore {
  private timer?: NodeJS.Timeout;
  private immediate?: NodeJS.Immediate;
  /** Set when the saved file could not be read at load; shown to the operator. */
  problem?: string;

  constructor(
    private readonly path: string,
    private readonly collect: () => JobSnapshot[],
    private readonly delayMs = 500,
  ) {}

  /** Jobs of the previous engine; ones it left active are marked as ended with the engine. */
  load(): JobSnapshot[] {
    const { value, problem } = readJsonOrSetAside(this.path, fileSchema, 'saved jobs');
    this.problem = problem;
    return (value?.jobs ?? []).map((job) =>
      isActive(job.state) || job.state === 'queued'
        ? { ...job, state: 'killed' as const, reason: 'the engine stopped while this job was active', stdinOpen: false }
        : { ...job, stdinOpen: false },
    );
  }

  /** Saves soon, coalescing bursts of changes into one write. */
  saveSoon(): void {
    this.timer ??= setTimeout(() => this.saveNow(), this.delayMs);
  }

  /**
   * Saves at the end of this event-loop turn: a new job must be on disk before a crash can
   * orphan it, yet a burst of submissions still costs one write.
   */
  savePromptly(): void {
    if (this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.saveNow();
    });
  }

  saveNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.immediate);
    this.immediate = undefined;
    const jobs = this.collect().slice(-MAX_KEPT);
    writeJsonAtomic(this.path, { version: 1, jobs });
  }
}
