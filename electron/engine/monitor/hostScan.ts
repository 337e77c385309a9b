import { ProcScanner, type ProcScanRequest } from './procScanner';
import type { TrackedProcesses, TreeSampler, TreeUsage } from './sampler';
import { TrackedSets } from './trackedSets';
import { computeTreeUsage, type ProcSnapshot } from './treeUsage';

const NONE: ReadonlyMap<string, TrackedProcesses> = new Map();

/** Successive /proc scans (ProcScanner; a fake in tests). */
export interface TickScanner {
  scan(request: ProcScanRequest): ProcSnapshot;
  /** Forgets the last scan and releases what it holds (kept fds). */
  reset(): void;
  dispose(): void;
}

/** What this machine's own monitor looks at besides the jobs: it rides on the same scan. */
export interface MachineInterest {
  /** Something needs ticks (a live watched process, an open system view): scan even with no job running. */
  active: boolean;
  /** Watched processes: their trees are read fresh. */
  roots: readonly number[];
  /** The process list is on screen: every process is read (its CPU column needs them all). */
  everything: boolean;
}

/** One scan, with the one before it (CPU is measured between the two). */
export interface HostScanResult {
  current: ProcSnapshot;
  previous?: ProcSnapshot;
  /** Wall time between the two scans. */
  seconds: number;
  /** Each job's tracked pids outside its tree at this scan (for its process tree's detail). */
  trackedPids: ReadonlyMap<string, readonly number[]>;
  /** What the machine asked for at this scan: a process list needs a scan that read everything. */
  interest: MachineInterest;
}

const IDLE: MachineInterest = { active: false, roots: [], everything: false };

/** Tree usage per id from one scan, with the interval and the trees' lifetime CPU (a run's first sample counts that). */
export function usageFrom(scan: HostScanResult, roots: ReadonlyMap<string, number>, tracked?: ReadonlyMap<string, readonly number[]>): Map<string, TreeUsage> {
  return computeTreeUsage(scan.current, scan.previous, roots, tracked);
}

/**
 * This machine's one /proc scan per tick: the local backend's runs (their trees, and their
 * tracked processes wherever they went) and what the machine's own monitor looks at (watched
 * processes, the process list) are read by the same scan. The local backend samples through
 * it (it is its TreeSampler); the machine's monitor then takes that tick's scan (takeScan),
 * or has one made for itself when no local run was sampled.
 */
export class HostScan implements TreeSampler {
  readonly kind = 'procfs';
  private readonly scanner: TickScanner;
  private readonly tracked: TrackedSets;
  private latest?: HostScanResult;
  /** The latest scan, until the machine's monitor takes it. */
  private untaken?: HostScanResult;

  constructor(
    private readonly machine: () => MachineInterest = () => IDLE,
    scanner?: TickScanner,
    tracked?: TrackedSets,
  ) {
    this.scanner = scanner ?? new ProcScanner();
    this.tracked = tracked ?? new TrackedSets();
  }

  async sample(roots: ReadonlyMap<string, number>, tracked?: ReadonlyMap<string, TrackedProcesses>): Promise<Map<string, TreeUsage>> {
    return this.scan(roots, tracked);
  }

  /**
   * One scan (skipped when nothing on this machine is looked at): the jobs' usage, each job
   * counting its tracked processes outside its tree too.
   */
  scan(roots: ReadonlyMap<string, number>, tracked: ReadonlyMap<string, TrackedProcesses> = NONE): Map<string, TreeUsage> {
    const interest = this.machine();
    if (roots.size === 0 && !interest.active) {
      // Idle: the next scan measures CPU from its own start on, not averaged over the idle gap.
      if (this.latest) {
        this.scanner.reset();
        this.tracked.reset();
      }
      this.latest = this.untaken = undefined;
      return new Map();
    }
    const previous = this.latest?.current;
    const escaped = this.tracked.beforeScan(tracked, roots, previous?.table);
    // Only the sampled trees (and new processes) are read, unless the whole list is on screen.
    // Built by hand, not spread: a spread steps an iterator, which allocates in the unoptimized tiers the tick runs in.
    const scanRoots: number[] = [];
    roots.forEach((pid) => scanRoots.push(pid));
    for (let i = 0; i < escaped.extraRoots.length; i++) scanRoots.push(escaped.extraRoots[i]!);
    for (let i = 0; i < interest.roots.length; i++) scanRoots.push(interest.roots[i]!);
    const current = this.scanner.scan({ roots: scanRoots, everything: interest.everything });
    this.tracked.afterScan(tracked, current, previous, roots, escaped.pids);
    const seconds = previous ? (current.table.takenAt - previous.table.takenAt) / 1000 : 0;
    this.latest = this.untaken = { current, previous, seconds, trackedPids: escaped.pids, interest };
    return usageFrom(this.latest, roots, escaped.pids);
  }

  /** The scan made since the last call, or (when no job was sampled through this) one made now for the machine alone; undefined while idle. */
  takeScan(): HostScanResult | undefined {
    if (!this.untaken) this.scan(new Map());
    const scan = this.untaken;
    this.untaken = undefined;
    return scan;
  }

  /** The latest scan (for a process tree's detail, and as the base of a fresh process list). */
  get latestScan(): HostScanResult | undefined {
    return this.latest;
  }

  dispose(): void {
    this.scanner.dispose();
    this.tracked.reset();
    this.latest = this.untaken = undefined;
  }
}
