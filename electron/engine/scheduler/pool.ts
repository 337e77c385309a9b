import type { QueueWait } from '../../../shared/jobWait';
import { sameWait } from '../../../shared/jobWait';
import type { GroupInfo } from '../../../shared/scheduling';
import { Heap } from './heap';

interface QueueEntry {
  jobId: string;
  group: GroupState;
  priority: number;
  seq: number;
  /** held: waiting for its dependencies, in the queue but not startable; gone: cancelled or started. */
  status: 'held' | 'ready' | 'gone';
}

/** Start order: higher priority first, then first in, first out. */
const startsBefore = (a: QueueEntry, b: QueueEntry) => (a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq);

class GroupState {
  limit?: number;
  paused = false;
  running = 0;
  /** Queued entries of this group, held ones included. */
  queued = 0;
  /** Startable entries; cancelled ones stay until they reach the top or are swept (lazy removal). */
  readonly ready = new Heap<QueueEntry>(startsBefore);
  goneInHeap = 0;
  /** Ids of its startable entries (the heap also holds cancelled ones). */
  readonly readyIds = new Set<string>();
  /** What its startable entries were last told they wait for. */
  toldWait?: QueueWait;

  constructor(readonly name: string) {}

  canStart(): boolean {
    return !this.paused && (this.limit === undefined || this.running < this.limit);
  }

  /** The next startable entry, dropping cancelled ones on the way. */
  head(): QueueEntry | undefined {
    for (let top = this.ready.peek(); top !== undefined; top = this.ready.peek()) {
      if (top.status === 'ready') return top;
      this.ready.pop();
      this.goneInHeap--;
    }
    return undefined;
  }

  entryGone(): void {
    // Sweep once cancelled entries outnumber live ones: each sweep is paid for by the
    // cancellations before it, so cancelling stays O(1) amortised.
    if (++this.goneInHeap > 64 && this.goneInHeap * 2 > this.ready.size) {
      this.ready.retain((e) => e.status === 'ready');
      this.goneInHeap = 0;
    }
  }
}

/**
 * A job's claim on the pool from its start to the end of its run. Releasing is idempotent,
 * so every path that ends a launch (a failure at any step, the run's end) can release it
 * without the count going wrong.
 */
export class PoolSlot {
  private released = false;

  constructor(
    readonly jobId: string,
    private readonly group: GroupState,
    private readonly onRelease: () => void,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.group.running--;
    this.onRelease();
  }
}

/**
 * The queue in front of the concurrency limits: a global limit plus an optional limit per
 * named group. Higher priority first, first-in first-out within a priority. A queued job can
 * also be held back (its dependencies are not done yet) without losing its place.
 * Each group keeps its startable jobs in a heap, so queueing, starting and cancelling cost
 * O(log n) however long the queue is, and a full or paused group's backlog is never scanned.
 */
export class Pool {
  private readonly entries = new Map<string, QueueEntry>();
  private readonly groups = new Map<string, GroupState>();
  /** Groups whose heap may hold startable entries. */
  private readonly groupsWithReady = new Set<GroupState>();
  private running = 0;
  /** Entries made startable since the waits were last taken: they have not been told theirs. */
  private readonly newlyReady = new Set<string>();
  private seq = 0;
  private version = 0;
  private order?: { version: number; ids: string[] };

  constructor(private limit: number) {}

  get runningCount(): number {
    return this.running;
  }

  get queuedCount(): number {
    return this.entries.size;
  }

  /** Changes whenever the queue's content or order does, so callers can skip unchanged pumps. */
  get queueVersion(): number {
    return this.version;
  }

  isQueued(jobId: string): boolean {
    return this.entries.has(jobId);
  }

  /** Queued job ids, in the order they would start (held ones in their place). */
  queuedIds(): string[] {
    if (this.order?.version === this.version) return this.order.ids;
    // The map iterates in insertion order, which is seq order: only priorities need sorting.
    const byPriority = new Map<number, string[]>();
    for (const entry of this.entries.values()) {
      let ids = byPriority.get(entry.priority);
      if (!ids) byPriority.set(entry.priority, (ids = []));
      ids.push(entry.jobId);
    }
    const ids = [...byPriority.keys()].sort((a, b) => b - a).flatMap((p) => byPriority.get(p)!);
    this.order = { version: this.version, ids };
    return ids;
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

  /** Queues a job; `ready` false holds it back until setReady. A job already queued is left as it is. */
  enqueue(jobId: string, group: string, priority: number, ready = true): void {
    if (this.entries.has(jobId)) return;
    const state = this.group(group);
    const entry: QueueEntry = { jobId, group: state, priority, seq: this.seq++, status: 'held' };
    this.entries.set(jobId, entry);
    state.queued++;
    this.version++;
    if (ready) this.makeReady(entry);
  }

  /** A held job may start now; it keeps the place it was queued at. */
  setReady(jobId: string): void {
    const entry = this.entries.get(jobId);
    if (entry?.status === 'held') this.makeReady(entry);
  }

  /** A startable job must wait again (a dependency was restarted); it keeps its place. */
  hold(jobId: string): void {
    const entry = this.entries.get(jobId);
    if (entry?.status !== 'ready') return;
    // The heap cannot drop an entry in the middle: this one is left there as gone, and a held
    // copy (same place in the order) takes its key. Map.set keeps the key's position.
    entry.status = 'gone';
    entry.group.entryGone();
    this.unready(entry);
    this.entries.set(jobId, { ...entry, status: 'held' });
  }

  cancel(jobId: string): boolean {
    const entry = this.entries.get(jobId);
    if (!entry) return false;
    this.remove(entry);
    if (entry.status === 'ready') {
      entry.group.entryGone();
      this.unready(entry);
    }
    entry.status = 'gone';
    return true;
  }

  /**
   * Slots for the jobs that may start now, in start order; each counts as running (globally
   * and in its group) until its slot is released.
   */
  takeStartable(): PoolSlot[] {
    const started: PoolSlot[] = [];
    while (this.running < this.limit) {
      let best: QueueEntry | undefined;
      for (const group of this.groupsWithReady) {
        const head = group.head();
        if (!head) {
          this.groupsWithReady.delete(group);
          continue;
        }
        if (group.canStart() && (!best || startsBefore(head, best))) best = head;
      }
      if (!best) break;
      const group = best.group;
      group.ready.pop();
      this.remove(best);
      this.unready(best);
      best.status = 'gone';
      group.running++;
      this.running++;
      started.push(new PoolSlot(best.jobId, group, () => this.running--));
    }
    return started;
  }

  groupInfo(): GroupInfo[] {
    return [...this.groups.values()].map((g) => ({
      name: g.name,
      ...(g.limit !== undefined && { limit: g.limit }),
      paused: g.paused,
      running: g.running,
      queued: g.queued,
    }));
  }

  /**
   * The startable jobs whose wait changed since the last call (call it after takeStartable):
   * a group's whole backlog only when the group's reason moved (it filled, was paused, the
   * global pool filled), else only the jobs made startable meanwhile. A held job's wait is its
   * dependencies', which the pool does not know.
   */
  takeWaitChanges(): Array<[jobId: string, wait: QueueWait | undefined]> {
    const changes: Array<[string, QueueWait | undefined]> = [];
    const retold = new Set<GroupState>();
    for (const group of this.groups.values()) {
      const wait = group.readyIds.size > 0 ? this.readyWait(group) : undefined;
      if (sameWait(wait, group.toldWait)) continue;
      group.toldWait = wait;
      retold.add(group);
      for (const id of group.readyIds) changes.push([id, wait]);
    }
    for (const id of this.newlyReady) {
      const entry = this.entries.get(id);
      if (entry?.status === 'ready' && !retold.has(entry.group)) changes.push([id, entry.group.toldWait]);
    }
    this.newlyReady.clear();
    return changes;
  }

  /** Why a group's startable entries are not started: it is paused, at its limit, or the global pool is full. */
  private readyWait(group: GroupState): QueueWait | undefined {
    if (group.paused) return { kind: 'group-paused', group: group.name };
    if (group.limit !== undefined && group.running >= group.limit) return { kind: 'group', group: group.name, running: group.running, limit: group.limit };
    if (this.running >= this.limit) return { kind: 'pool', running: this.running, limit: this.limit };
    return undefined;
  }

  private makeReady(entry: QueueEntry): void {
    entry.status = 'ready';
    entry.group.ready.push(entry);
    entry.group.readyIds.add(entry.jobId);
    this.newlyReady.add(entry.jobId);
    this.groupsWithReady.add(entry.group);
  }

  private unready(entry: QueueEntry): void {
    entry.group.readyIds.delete(entry.jobId);
    this.newlyReady.delete(entry.jobId);
  }

  private remove(entry: QueueEntry): void {
    this.entries.delete(entry.jobId);
    entry.group.queued--;
    this.version++;
  }

  private group(name: string): GroupState {
    let state = this.groups.get(name);
    if (!state) this.groups.set(name, (state = new GroupState(name)));
    return state;
  }
}
