import {
  systemProcessQuerySchema,
  type ProcessTarget,
  type ProcessTreeDetail,
  type SystemProcessList,
  type SystemProcessQueryInput,
  type SystemStats,
  type ViewerProcessList,
  type WatchedProcess,
} from '../../../shared/monitoring';
import { watchedProcessName } from '../alerts/alertMessage';
import type { RunSample } from '../backends/backend';
import { usageFrom, type HostScan, type MachineInterest } from './hostScan';
import { signalProcess } from './processActions';
import { readProcTable, type ProcTable } from './procTable';
import { runSampleOf } from './sampler';
import { ProcessTextCache } from './processText';
import { SystemProcessLister } from './systemProcessList';
import { SystemStatsReader } from './systemStats';
import { SOLE_VIEWER, SystemViewLeases, type SystemViewRequest, type ViewerQuery } from './systemView';
import { describeTree } from './treeDetail';
import { snapshotOf } from './treeUsage';
import { WatchedProcesses } from './watchedProcesses';

/** What this machine's monitor measured at one tick, besides the jobs. */
export interface MachineSample {
  /** Watched processes sampled this tick, each in its "run" (its life). */
  watched: Map<string, RunSample>;
  /** Watched processes found gone this tick. */
  ended: WatchedProcess[];
  /** The machine's figures, measured only when someone needs them (see statsWanted). */
  system?: SystemStats;
  /** The viewers whose system view is open: the ones system.tick is shown to. */
  systemViewers?: string[];
  /** One process list per distinct query of the viewers showing the list. */
  processLists?: ViewerProcessList[];
}

export interface MachineMonitorOptions {
  systemStats?: SystemStatsReader;
  now?: () => number;
}

/** A host's demand for the machine's figures (its subscribers of system.tick). */
export interface StatsDemand {
  release(): void;
  /** The demand may have turned true: wakes a paused sampling loop. */
  changed(): void;
}

/**
 * This machine as the monitor shows it, beyond its jobs: the processes Procdeck watches
 * without having started them, its CPU, memory and load, the system view (one lease per
 * viewer) with the process list, and process trees in detail. It reads /proc through the
 * host scan it shares with the local backend (one scan per tick for both).
 */
export class MachineMonitor {
  private readonly watched = new WatchedProcesses();
  /** When each watched process's "run" started: its life, as the kernel dates it. */
  private readonly watchedRuns = new Map<string, { runId: string; startedAt: number; name: string }>();
  private readonly texts = new ProcessTextCache();
  private readonly lister: SystemProcessLister;
  private readonly stats: SystemStatsReader;
  private readonly view = new SystemViewLeases();
  private readonly now: () => number;
  private lastStats?: SystemStats;
  /** Whoever needs the figures besides the system views' viewers (a host's event subscribers). */
  private readonly statsDemands = new Set<() => boolean>();
  /** The process-list queries the latest scan was made for. */
  private asked: ViewerQuery[] = [];
  private latestAt = 0;
  private ticksWanted: () => void = () => undefined;

  constructor(
    private readonly host: HostScan,
    options: MachineMonitorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.stats = options.systemStats ?? new SystemStatsReader();
    this.lister = new SystemProcessLister(this.texts);
  }

  /** True while something besides jobs needs ticks: a live watched process or an open system view. */
  needsTicks(): boolean {
    return this.watched.liveCount > 0 || this.view.isOpen(this.now());
  }

  /** True while a tick has something to do here with no job running: watched processes, a system view, a subscriber of the figures. */
  wantsTicks(): boolean {
    return this.needsTicks() || this.statsWanted(false);
  }

  /**
   * True when this tick's machine figures are needed: a viewer shows them (its system view is
   * open), a host has a subscriber that asked for system.tick, or jobs run (least-loaded pinning
   * reads the per-core load). Otherwise the three procfs reads and the event are skipped.
   */
  statsWanted(jobsRunning: boolean): boolean {
    if (jobsRunning || this.view.isOpen(this.now())) return true;
    for (const demand of this.statsDemands) if (demand()) return true;
    return false;
  }

  /**
   * Registers a source of demand for the figures, asked once per tick. Its owner calls
   * `changed()` when the answer may have turned true (a subscriber came): a paused sampling
   * loop asks nobody until it is woken.
   */
  demandStats(demand: () => boolean): StatsDemand {
    this.statsDemands.add(demand);
    return { release: () => void this.statsDemands.delete(demand), changed: () => this.ticksWanted() };
  }

  /** Who hears that ticks are wanted again (the engine wakes its sampling loop). */
  onTicksWanted(listener: () => void): void {
    this.ticksWanted = listener;
  }

  /** What the host scan must read for this machine's own subjects (asked once per scan). */
  interest(): MachineInterest {
    this.asked = this.view.listQueries(this.now());
    return { active: this.needsTicks(), roots: this.watched.livePids(), everything: this.asked.length > 0 };
  }

  /** This tick's watched processes, process lists and (when wanted) machine figures, from the tick's host scan. */
  sample(at: number, jobsRunning = false): MachineSample {
    const sample: MachineSample = { watched: new Map(), ended: [] };
    const scan = this.host.takeScan();
    if (scan) {
      const { table } = scan.current;
      const { roots, ended } = this.watched.roots(table, at);
      sample.ended = ended;
      if (roots.size > 0) {
        for (const [id, usage] of usageFrom(scan, roots)) {
          const run = this.watchedRun(id, table, at);
          if (run) sample.watched.set(id, runSampleOf(run.runId, run.startedAt, run.name, usage));
        }
      }
      if (scan.interest.everything) {
        // One set of rows, ordered once per distinct query; the host sends each viewer its own.
        const rows = this.lister.rows(scan.current, scan.previous);
        sample.processLists = this.asked.map(({ query, viewers }) => ({ viewers, list: this.lister.order(rows, query, at) }));
      } else this.texts.prune(table.processes);
      this.latestAt = at;
    }
    if (!this.statsWanted(jobsRunning)) return sample;
    sample.system = this.readStats(at);
    if (sample.system) {
      sample.systemViewers = this.view.viewers(this.now());
    }
    return sample;
  }

  /** Per-process detail of a subject's tree (root `rootPid`) from the latest scan. */
  treeDetail(subjectId: string, rootPid: number): ProcessTreeDetail | undefined {
    const latest = this.host.latestScan;
    if (!latest) return undefined;
    return describeTree(subjectId, rootPid, latest.current, latest.previous, this.texts, this.latestAt, latest.trackedPids.get(subjectId));
  }

  /**
   * Opens or renews a viewer's system view (stats, and the process list for its query when one
   * is given) for leaseMs. Each viewer has its own lease and query.
   */
  viewSystem(request: SystemViewRequest, leaseMs = 30_000, viewer: string = SOLE_VIEWER): void {
    this.view.open(viewer, request, leaseMs, this.now());
    this.ticksWanted();
  }

  /** Ends a viewer's system view; the others' stay open. */
  closeSystemView(viewer: string = SOLE_VIEWER): void {
    this.view.close(viewer);
  }

  /** The process list now: a fresh scan measured against the latest tick's. Does not disturb the ticks. */
  systemProcesses(query: SystemProcessQueryInput = {}): SystemProcessList {
    const current = snapshotOf(readProcTable({ nice: true }));
    return this.lister.list(current, this.host.latestScan?.current, systemProcessQuerySchema.parse(query), this.now());
  }

  /**
   * Recent busy % per core, for least-loaded pinning: the latest tick's while jobs run (their
   * ticks measure it), otherwise read now, against the reading before (an idle machine's average).
   */
  get coreLoad(): readonly number[] {
    try {
      return this.systemStats().cores;
    } catch {
      return [];
    }
  }

  /** The machine's CPU, memory and load: from the latest tick, or read now when there was none. */
  systemStats(): SystemStats {
    return this.lastStats && this.now() - this.lastStats.at < 5000 ? this.lastStats : (this.lastStats = this.stats.sample(this.now()));
  }

  watch(target: ProcessTarget): WatchedProcess {
    const watched = this.watched.watch(target, this.now());
    this.ticksWanted();
    return watched;
  }

  /** Stops watching; false if it was not watched. */
  unwatch(id: string): boolean {
    this.watchedRuns.delete(id);
    return this.watched.unwatch(id);
  }

  isWatched(id: string): boolean {
    return this.watched.get(id) !== undefined;
  }

  watchedProcesses(): WatchedProcess[] {
    return this.watched.list();
  }

  /** What an alert's stop action does to a watched process: SIGTERM, if it still runs. */
  stopWatched(id: string): void {
    const watched = this.watched.get(id);
    if (watched && watched.endedAt === undefined) signalProcess({ pid: watched.pid, startTime: watched.startTime }, 'SIGTERM');
  }

  dispose(): void {
    this.stats.dispose();
    this.view.closeAll();
  }

  /** A machine without a readable /proc/stat or /proc/meminfo still gets its job samples. */
  private readStats(at: number): SystemStats | undefined {
    try {
      this.lastStats = this.stats.sample(at);
      return this.lastStats;
    } catch {
      return undefined;
    }
  }

  /** A watched process's "run" is its life: it started when the kernel says it did. */
  private watchedRun(id: string, table: ProcTable, at: number): { runId: string; startedAt: number; name: string } | undefined {
    const known = this.watchedRuns.get(id);
    if (known) return known;
    const watched = this.watched.get(id);
    if (!watched) return undefined;
    const ageMs = ((table.uptimeTicks - watched.startTime) / table.clockTicks) * 1000;
    const run = { runId: id, startedAt: Math.round(at - Math.max(0, ageMs)), name: watchedProcessName(watched.pid, watched.command) };
    this.watchedRuns.set(id, run);
    return run;
  }
}
