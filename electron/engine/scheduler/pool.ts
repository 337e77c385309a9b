import type { QueueWait } from '../../../shared/jobWait';
import { sameWait } from '../../../shared/jobWait';
import type { GroupInfo } from '../../../shared/scheduling';
import { GroupState, PoolSlot, startsBefore, type Lane, type QueueEntry } from './poolGroup';

/** How a job is queued: `ready` false holds it back until setReady; `takesPoolSlot` false for a run on a backend with its own queue (a cluster), which counts only against its group. */
export interface EnqueueOptions {
  ready?: boolean;
  takesPoolSlot?: boolean;
}

/**
 * The queue in front of the concurrency limits: a global limit plus an optional limit per
 * named group. Higher priority first, first-in first-out within a priority. A queued job can
 * also be held back (its dependencies are not done yet) without losing its place.
 * A run on this machine takes a slot of the global pool and one of its group; a run on a
 * backend with a queue of its own (a cluster) takes only its group's, for as long as it is
 * active there: the cluster queues it against the cluster's resources, not this machine's,
 * while a limit the operator put on its group still holds.
 * Each group keeps its startable jobs in a heap per lane (poolGroup.ts), so queueing,
 * starting and cancelling cost O(log n) however long the queue is, and a full or paused
 * group's backlog is never scanned (nor, while the global pool is full, any local lane).
 */
export class Pool {
  private readonly entries = new Map<string, QueueEntry>();
  private readonly groups = new Map<string, GroupState>();
  /** Lanes whose heap may hold startable entries, apart by whether they need the global pool. */
  private readonly localLanesWithReady = new Set<Lane>();
  private readonly clusterLanesWithReady = new Set<Lane>();
  /** Slots of the global pool in use (runs on this machine). */
  private running = 0;
  /** Entries made startable since the waits were last taken: they have not been told theirs. */
  private readonly newlyReady = new Set<string>();
  private seq = 0;
  private version = 0;
  private order?: { version: number; ids: string[] };

  constructor(private limit: number) {}

  /** Slots of the global pool in use: runs on this machine (a cluster's runs hold none). */
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

  /** Queues a job (see EnqueueOptions). A job already queued is left as it is. */
  enqueue(jobId: string, group: string, priority: number, options: EnqueueOptions = {}): void {
    if (this.entries.has(jobId)) return;
    const state = this.group(group);
    const entry: QueueEntry = { jobId, lane: state.lane(options.takesPoolSlot ?? true), priority, seq: this.seq++, status: 'held' };
    this.entries.set(jobId, entry);
    state.queued++;
    this.version++;
    if (options.ready ?? true) this.makeReady(entry);
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
    entry.lane.entryGone();
    this.unready(entry);
    this.entries.set(jobId, { ...entry, status: 'held' });
  }

  cancel(jobId: string): boolean {
    const entry = this.entries.get(jobId);
    if (!entry) return false;
    this.remove(entry);
    if (entry.status === 'ready') {
      entry.lane.entryGone();
      this.unready(entry);
    }
    entry.status = 'gone';
    return true;
  }

  /**
   * Slots for the jobs that may start now, in start order; each counts as running (in its
   * group, and in the global pool for a run on this machine) until its slot is released.
   * While the global pool is full only cluster lanes are looked at.
   */
  takeStartable(): PoolSlot[] {
    const started: PoolSlot[] = [];
    for (;;) {
      let best = this.bestHead(this.clusterLanesWithReady, undefined);
      if (this.running < this.limit) best = this.bestHead(this.localLanesWithReady, best);
      if (!best) break;
      const lane = best.lane;
      lane.ready.pop();
      this.remove(best);
      this.unready(best);
      best.status = 'gone';
      started.push(this.claim(best.jobId, lane.group, lane.takesPoolSlot));
    }
    return started;
  }

  /**
   * A run already live when the engine opened (a cluster's job found again): it holds its
   * group's slot (and the pool's, if it takes one) from now until it ends, whatever the limits
   * say, so that what is queued after it waits as it would have before the restart.
   */
  occupy(jobId: string, group: string, takesPoolSlot: boolean): PoolSlot {
    return this.claim(jobId, this.group(group), takesPoolSlot);
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
   * a lane's whole backlog only when its reason moved (its group filled, was paused, the
   * global pool filled), else only the jobs made startable meanwhile. A held job's wait is its
   * dependencies', which the pool does not know.
   */
  takeWaitChanges(): Array<[jobId: string, wait: QueueWait | undefined]> {
    const changes: Array<[string, QueueWait | undefined]> = [];
    const retold = new Set<Lane>();
    for (const group of this.groups.values()) {
      for (const lane of [group.local, group.cluster]) {
        const wait = lane.readyIds.size > 0 ? this.readyWait(lane) : undefined;
        if (sameWait(wait, lane.toldWait)) continue;
        lane.toldWait = wait;
        retold.add(lane);
        for (const id of lane.readyIds) changes.push([id, wait]);
      }
    }
    for (const id of this.newlyReady) {
      const entry = this.entries.get(id);
      if (entry?.status === 'ready' && !retold.has(entry.lane)) changes.push([id, entry.lane.toldWait]);
    }
    this.newlyReady.clear();
    return changes;
  }

  /** The best startable head among `lanes` whose group may start one, or `best` if none is before it. */
  private bestHead(lanes: Set<Lane>, best: QueueEntry | undefined): QueueEntry | undefined {
    for (const lane of lanes) {
      const head = lane.head();
      if (!head) {
        lanes.delete(lane);
        continue;
      }
      if (lane.group.canStart() && (!best || startsBefore(head, best))) best = head;
    }
    return best;
  }

  private claim(jobId: string, group: GroupState, takesPoolSlot: boolean): PoolSlot {
    group.running++;
    if (!takesPoolSlot) return new PoolSlot(jobId, group, () => undefined);
    this.running++;
    return new PoolSlot(jobId, group, () => this.running--);
  }

  /** Why a lane's startable entries are not started: its group is paused or at its limit, or (a local lane) the global pool is full. */
  private readyWait(lane: Lane): QueueWait | undefined {
    const group = lane.group;
    if (group.paused) return { kind: 'group-paused', group: group.name };
    if (group.limit !== undefined && group.running >= group.limit) return { kind: 'group', group: group.name, running: group.running, limit: group.limit };
    if (lane.takesPoolSlot && this.running >= this.limit) return { kind: 'pool', running: this.running, limit: this.limit };
    return undefined;
  }

  private makeReady(entry: QueueEntry): void {
    entry.status = 'ready';
    entry.lane.ready.push(entry);
    entry.lane.readyIds.add(entry.jobId);
    this.newlyReady.add(entry.jobId);
    (entry.lane.takesPoolSlot ? this.localLanesWithReady : this.clusterLanesWithReady).add(entry.lane);
  }

  private unready(entry: QueueEntry): void {
    entry.lane.readyIds.delete(entry.jobId);
    this.newlyReady.delete(entry.jobId);
  }

  private remove(entry: QueueEntry): void {
    this.entries.delete(entry.jobId);
    entry.lane.group.queued--;
    this.version++;
  }

  private group(name: string): GroupState {
    let state = this.groups.get(name);
    if (!state) this.groups.set(name, (state = new GroupState(name)));
    return state;
  }
}
