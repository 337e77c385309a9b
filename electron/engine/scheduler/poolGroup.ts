import type { QueueWait } from '../../../shared/jobWait';
import { Heap } from './heap';

export interface QueueEntry {
  jobId: string;
  lane: Lane;
  priority: number;
  seq: number;
  /** held: waiting for its dependencies, in the queue but not startable; gone: cancelled or started. */
  status: 'held' | 'ready' | 'gone';
}

/** Start order: higher priority first, then first in, first out. */
export const startsBefore = (a: QueueEntry, b: QueueEntry) => (a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq);

/**
 * One group's startable entries of one kind: those that take a slot of the global pool (a run
 * on this machine) and those that take only their group's (a run on a backend with a queue of
 * its own, a cluster). Two lanes, so a full global pool holds back a group's local jobs
 * without holding back its cluster jobs queued behind them.
 */
export class Lane {
  /** Startable entries; cancelled ones stay until they reach the top or are swept (lazy removal). */
  readonly ready = new Heap<QueueEntry>(startsBefore);
  goneInHeap = 0;
  /** Ids of its startable entries (the heap also holds cancelled ones). */
  readonly readyIds = new Set<string>();
  /** What its startable entries were last told they wait for. */
  toldWait?: QueueWait;

  constructor(
    readonly group: GroupState,
    readonly takesPoolSlot: boolean,
  ) {}

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

export class GroupState {
  limit?: number;
  paused = false;
  /** Its runs that hold a slot: live on this machine, or active in a cluster (submitted, pending there, running). */
  running = 0;
  /** Queued entries of this group, held ones included. */
  queued = 0;
  readonly local = new Lane(this, true);
  readonly cluster = new Lane(this, false);

  constructor(readonly name: string) {}

  lane(takesPoolSlot: boolean): Lane {
    return takesPoolSlot ? this.local : this.cluster;
  }

  canStart(): boolean {
    return !this.paused && (this.limit === undefined || this.running < this.limit);
  }
}

/**
 * A run's claim on its group (and, for a run on this machine, on the global pool) from its
 * start to its end. Releasing is idempotent, so every path that ends a launch (a failure at
 * any step, the run's end) can release it without the count going wrong.
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
