import type { ProcEntry } from './procStat';

/** The maps one scan's table is built in: its processes, and the pids it read (ProcTable.fresh). */
export interface TableBuffer {
  readonly processes: Map<number, ProcEntry>;
  readonly fresh: Set<number>;
}

/**
 * Two table buffers used in turn, so a scan builds its table in the maps of the scan before
 * the last one instead of copying the whole process table into new ones (a Map of every
 * process on the machine, ~50 KiB a tick with 600 of them, grown from empty every time).
 * A snapshot stays whole until the scan after next: its consumers (the tick's usage, which
 * compares the current scan with the previous one, and the process tree's detail) never hold
 * one longer. A buffer still holds the entries of its earlier scan; each pid placed in the
 * table is stamped with the scan's number (negative when carried over, not read), and what
 * the scan did not place is deleted from the buffer once the scan has placed everything.
 */
export class TableBuffers {
  private spare?: TableBuffer;
  private inUse?: TableBuffer;
  /** pid → the scan that last placed it in a table: n when read by scan n, -n when carried over by it. */
  private readonly placed = new Map<number, number>();
  private scan = 0;

  /** Starts scan `n`: the buffer its table is built in (holding what a scan before the last left in it). */
  begin(): TableBuffer {
    this.scan++;
    const buffer = this.spare ?? { processes: new Map(), fresh: new Set() };
    this.spare = this.inUse;
    this.inUse = buffer;
    return buffer;
  }

  /** Puts `entry` in the current table; `read` when this scan read it (rather than carrying it over). */
  place(pid: number, entry: ProcEntry, read: boolean, fresh: Set<number> | undefined): void {
    this.inUse!.processes.set(pid, entry);
    this.placed.set(pid, read ? this.scan : -this.scan);
    if (read) fresh?.add(pid);
  }

  /** Deletes what the current scan did not place (the earlier scan's leftovers). `full`: prunes the stamps too. */
  settle(fresh: Set<number> | undefined, full: boolean): void {
    const { processes } = this.inUse!;
    const { placed, scan } = this;
    // forEach, not for-of: a for-of step allocates in the unoptimized tiers a 1 Hz tick runs in. Deleting the entry visited is allowed.
    processes.forEach((_, pid) => {
      const stamp = placed.get(pid);
      if (stamp !== scan && stamp !== -scan) processes.delete(pid);
    });
    fresh?.forEach((pid) => {
      if (placed.get(pid) !== scan) fresh.delete(pid);
    });
    // A pid last placed before the previous scan is in neither table: its stamp can go (the stamps stay as many as the processes).
    if (full) {
      placed.forEach((stamp, pid) => {
        if (stamp < scan - 1 && stamp > 1 - scan) placed.delete(pid);
      });
    }
  }

  /** Forgets both buffers (the snapshots built in them are no longer used). */
  reset(): void {
    this.spare = this.inUse = undefined;
    this.placed.clear();
  }
}
