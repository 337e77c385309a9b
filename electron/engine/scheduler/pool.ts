import type { GroupInfo } from '../../../shared/scheduling';

interface QueueEntry {
  jobId: string;
  group: string;
  priority: number;
  seq: number;
}

interface GroupState {
  limit?: number;
  paused: boolean;
  running: number;
}

/**
 * The queue in front of the concurrency limits: a global limit plus an optional limit per
 * named group. Higher priority first, first-in first-out within a priority. A queued job can
 * also be held back by the caller (its dependencies are not done yet) without losing its place.
 * The pool only counts; the engine tells it when a run starts and ends.
 */
export class Pool {
  private queue: QueueEntry[] = [];
  private readonly groups = new Map<string, GroupState>();
  private running = 0;
  private seq = 0;
  private version = 0;

  constructor(private limit: number) {}

  get runningCount(): number {
    return this.running;
  }

  /** Changes whenever the queue's content or order does, so callers can skip unchanged pumps. */
  get queueVersion(): number {
    return this.version;
  }

  /** Queued job ids, in the order they would start. */
  queuedIds(): string[] {
    return this.queue.map((entry) => entry.jobId);
  }

  setLimit(limit: number): void {
    this.limit = limit;
  }

  setGroupLimit(group: string, limit: number | undefined): void {
    this.group(group).limit = limit;
  }

  setGroupPaused(group: string, paused: boolean): void {
    this.group(group).paused = paused;
  }

  enqueue(jobId: string, group: string, priority: number): void {
    const entry = { jobId, group, priority, seq: this.seq++ };
    // Insert in order: after every entry of higher or equal priority.
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.priority < priority) i--;
    this.queue.splice(i, 0, entry);
    this.version++;
    this.group(group);
  }

  cancel(jobId: string): boolean {
    const i = this.queue.findIndex((e) => e.jobId === jobId);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.version++;
    return true;
  }

  /**
   * Ids that may start now, in order; each counts as running (globally and in its group)
   * until released. `isReady` holds back entries whose dependencies are not done.
   */
  takeStartable(isReady: (jobId: string) => boolean = () => true): { jobId: string; group: string }[] {
    const started: { jobId: string; group: string }[] = [];
    for (let i = 0; i < this.queue.length && this.running < this.limit; ) {
      const entry = this.queue[i]!;
      const group = this.group(entry.group);
      if (group.paused || (group.limit !== undefined && group.running >= group.limit) || !isReady(entry.jobId)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.version++;
      group.running++;
      this.running++;
      started.push({ jobId: entry.jobId, group: entry.group });
    }
    return started;
  }

  release(group: string): void {
    this.running = Math.max(0, this.running - 1);
    const state = this.groups.get(group);
    if (state) state.running = Math.max(0, state.running - 1);
  }

  groupInfo(): GroupInfo[] {
    const queued = new Map<string, number>();
    for (const e of this.queue) queued.set(e.group, (queued.get(e.group) ?? 0) + 1);
    return [...this.groups].map(([name, g]) => ({
      name,
      ...(g.limit !== undefined && { limit: g.limit }),
      paused: g.paused,
      running: g.running,
      queued: queued.get(name) ?? 0,
    }));
  }

  private group(name: string): GroupState {
    let state = this.groups.get(name);
    if (!state) this.groups.set(name, (state = { paused: false, running: 0 }));
    return state;
  }
}
