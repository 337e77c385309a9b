import {
  systemProcessQuerySchema,
  type AlertRule,
  type FiredAlert,
  type LeakSettings,
  type LeakVerdict,
  type MonitorTick,
  type ProcessTarget,
  type ProcessTreeDetail,
  type SystemProcessList,
  type SystemProcessQueryInput,
  type SystemStats,
  type WatchedProcess,
} from '../../../shared/monitoring';
import { AlertEvaluator } from '../alerts/alertEvaluator';
import { AlertHistory } from '../alerts/alertHistory';
import { watchedProcessName } from '../alerts/alertMessage';
import { EngineError } from '../engineError';
import { ProcScanner, type ProcScanRequest } from './procScanner';
import { readProcTable, type ProcTable } from './procTable';
import { ProcessTextCache } from './processText';
import type { RunHistoryOptions } from './runHistory';
import { cpuSecondsOver, lifetimeCpuSeconds } from './runMetrics';
import type { TrackedProcesses, TreeSampler, TreeUsage } from './sampler';
import { SubjectMonitor, type SubjectRun } from './subjectMonitor';
import { SystemProcessLister } from './systemProcessList';
import { SystemStatsReader } from './systemStats';
import { DEFAULT_VIEWER, SystemViewLeases, type SystemViewRequest, type ViewerId } from './systemView';
import { describeTree } from './treeDetail';
import { computeTreeUsage, snapshotOf, type ProcSnapshot } from './treeUsage';
import { TrackedSets } from './trackedSets';
import { WatchedProcesses } from './watchedProcesses';

const NONE: ReadonlyMap<string, TrackedProcesses> = new Map();

export interface MonitoringOptions {
  /** The current run of a job being sampled: its id and start (epoch ms). */
  runOf(jobId: string): SubjectRun | undefined;
  leak?: Partial<LeakSettings>;
  history?: Partial<RunHistoryOptions>;
  alertHistorySize?: number;
  /** Injected in tests. */
  scanner?: TickScanner;
  systemStats?: SystemStatsReader;
  now?: () => number;
}

/** Successive /proc scans (ProcScanner; a fake in tests). */
export interface TickScanner {
  scan(request: ProcScanRequest): ProcSnapshot;
  /** Forgets the last scan and releases what it holds (kept fds). */
  reset(): void;
  dispose(): void;
}

/**
 * The monitor in one place, fed by one /proc scan per tick: job and watched-process trees,
 * run metrics, whole-run histories, leak trends, alert rules, the machine's stats and (while
 * on screen) the system process list. It is the engine's TreeSampler: sample() answers the
 * job usage as before, and takeTick() hands over everything else the tick produced.
 */
export class Monitoring implements TreeSampler {
  readonly kind = 'procfs';
  private readonly subjects = new Map<string, SubjectMonitor>();
  private readonly watched = new WatchedProcesses();
  private readonly texts = new ProcessTextCache();
  private readonly lister: SystemProcessLister;
  private readonly stats: SystemStatsReader;
  private readonly view = new SystemViewLeases();
  private readonly evaluator = new AlertEvaluator();
  private readonly alerts: AlertHistory;
  private readonly scanner: TickScanner;
  private readonly tracked = new TrackedSets();
  private readonly now: () => number;
  private latest?: ProcSnapshot;
  /** Each job's tracked pids at the latest tick (for its process tree's detail). */
  private latestTracked: ReadonlyMap<string, readonly number[]> = new Map();
  private beforeLatest?: ProcSnapshot;
  private latestAt = 0;
  private lastStats?: SystemStats;
  private pending?: MonitorTick;

  constructor(private readonly options: MonitoringOptions) {
    this.scanner = options.scanner ?? new ProcScanner();
    this.now = options.now ?? Date.now;
    this.stats = options.systemStats ?? new SystemStatsReader();
    this.lister = new SystemProcessLister(this.texts);
    this.alerts = new AlertHistory(options.alertHistorySize);
  }

  /** True while something besides jobs needs ticks: a live watched process or an open system view. */
  needsTicks(): boolean {
    return this.watched.liveCount > 0 || this.view.isOpen(this.now());
  }

  async sample(jobRoots: ReadonlyMap<string, number>, tracked?: ReadonlyMap<string, TrackedProcesses>): Promise<Map<string, TreeUsage>> {
    return this.tick(jobRoots, tracked);
  }

  /**
   * One tick: scans /proc once (skipped when nothing is monitored) and returns the jobs' usage,
   * each job counting its tracked processes outside its tree too.
   */
  tick(jobRoots: ReadonlyMap<string, number>, tracked: ReadonlyMap<string, TrackedProcesses> = NONE): Map<string, TreeUsage> {
    const at = this.now();
    const queries = this.view.listQueries(at);
    if (jobRoots.size === 0 && !this.needsTicks()) {
      // Idle: the next tick measures CPU from its own scan on, not averaged over the idle gap.
      // The machine's figures (three small files) are still read: the per-core chart and
      // least-loaded pinning need them when no job runs.
      if (this.latest) this.scanner.reset();
      this.latest = this.beforeLatest = undefined;
      const system = this.readStats(at);
      this.pending = { at, watched: [], watchEnded: [], leaks: [], alerts: [], ...(system && { system }) };
      return new Map();
    }
    const previous = this.latest;
    const escaped = this.tracked.beforeScan(tracked, jobRoots, previous?.table);
    // Only the sampled trees (and new processes) are read, unless the whole list is on screen.
    const current = this.scanner.scan({ roots: [...jobRoots.values(), ...escaped.extraRoots, ...this.watched.livePids()], everything: queries.length > 0 });
    const table = current.table;
    this.tracked.afterScan(tracked, table, escaped.pids);
    const { roots: watchedRoots, ended } = this.watched.roots(table, at);
    const seconds = previous ? (table.takenAt - previous.table.takenAt) / 1000 : 0;
    const tick: MonitorTick = { at, watched: [], watchEnded: ended, leaks: [], alerts: [] };
    const ctx = { at, table, seconds, tick };
    const jobUsage = computeTreeUsage(current, previous, jobRoots, escaped.pids);
    for (const [id, tree] of jobUsage) {
      const run = this.options.runOf(id);
      if (run) this.record(id, run, tree, ctx);
    }
    if (watchedRoots.size > 0) {
      for (const [id, tree] of computeTreeUsage(current, previous, watchedRoots)) {
        tick.watched.push({ id, cpu: tree.cpu, rss: tree.rss, processes: tree.pids.length });
        const run = this.watchedRun(id, table, at);
        if (run) this.record(id, run, tree, ctx);
      }
    }
    tick.system = this.readStats(at);
    if (queries.length > 0) {
      // One set of rows, ordered once per distinct query; the host sends each viewer its own.
      const rows = this.lister.rows(current, previous);
      tick.processLists = queries.map(({ query, viewers }) => ({ viewers, list: this.lister.order(rows, query, at) }));
    } else this.texts.prune(table.processes);
    this.alerts.add(tick.alerts);
    this.beforeLatest = previous;
    this.latest = current;
    this.latestTracked = escaped.pids;
    this.latestAt = at;
    this.pending = tick;
    return jobUsage;
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

  /** What the last tick produced besides job samples, once (undefined if already taken or idle). */
  takeTick(): MonitorTick | undefined {
    const tick = this.pending;
    this.pending = undefined;
    return tick;
  }

  private record(id: string, run: SubjectRun, tree: TreeUsage, ctx: { at: number; table: ProcTable; seconds: number; tick: MonitorTick }): void {
    let subject = this.subjects.get(id);
    if (subject?.run.runId !== run.runId) {
      subject = new SubjectMonitor(run, tree.pids[0] ?? 0, { history: this.options.history, leak: this.options.leak });
      this.subjects.set(id, subject);
    }
    subject.rootPid = tree.pids[0] ?? subject.rootPid;
    const wasLeaking = subject.leak?.leaking ?? false;
    const cpuSeconds = subject.isFresh ? lifetimeCpuSeconds(ctx.table, tree.pids) : cpuSecondsOver(tree.cpu, ctx.seconds);
    const leak = subject.record(ctx.at, tree, cpuSeconds);
    if (leak.leaking || wasLeaking) ctx.tick.leaks.push({ subjectId: id, ...leak });
    const input = { at: ctx.at, cpu: tree.cpu, rss: tree.rss, runStartedAt: run.startedAt, leak, ...(run.name !== undefined && { subjectName: run.name }) };
    for (const alert of this.evaluator.evaluate(id, input)) ctx.tick.alerts.push(alert);
  }

  /** A watched process's "run" is its life: it started when the kernel says it did. */
  private watchedRun(id: string, table: ProcTable, at: number): SubjectRun | undefined {
    const existing = this.subjects.get(id);
    if (existing) return existing.run;
    const watched = this.watched.get(id);
    if (!watched) return undefined;
    const ageMs = ((table.uptimeTicks - watched.startTime) / table.clockTicks) * 1000;
    return { runId: id, startedAt: Math.round(at - Math.max(0, ageMs)), name: watchedProcessName(watched.pid, watched.command) };
  }

  subject(id: string): SubjectMonitor | undefined {
    return this.subjects.get(id);
  }

  /** Per-process detail of a subject's tree from the latest tick's scan. */
  treeDetail(subjectId: string): ProcessTreeDetail | undefined {
    const subject = this.subjects.get(subjectId);
    if (!subject || !this.latest) return undefined;
    return describeTree(subjectId, subject.rootPid, this.latest, this.beforeLatest, this.texts, this.latestAt, this.latestTracked.get(subjectId));
  }

  /**
   * Opens or renews a viewer's system view (stats, and the process list for its query when one
   * is given) for leaseMs. Each viewer has its own lease and query.
   */
  viewSystem(request: SystemViewRequest, leaseMs = 30_000, viewer: ViewerId = DEFAULT_VIEWER): void {
    this.view.open(viewer, request, leaseMs, this.now());
  }

  /** Ends a viewer's system view; the others' stay open. */
  closeSystemView(viewer: ViewerId = DEFAULT_VIEWER): void {
    this.view.close(viewer);
  }

  /** The process list now: a fresh scan measured against the latest tick's. Does not disturb the ticks. */
  systemProcesses(query: SystemProcessQueryInput = {}): SystemProcessList {
    const current = snapshotOf(readProcTable({ nice: true }));
    return this.lister.list(current, this.latest, systemProcessQuerySchema.parse(query), this.now());
  }

  /** The machine's CPU, memory and load: from the latest tick, or read now when there was none. */
  systemStats(): SystemStats {
    return this.lastStats && this.now() - this.lastStats.at < 5000 ? this.lastStats : (this.lastStats = this.stats.sample(this.now()));
  }

  watch(target: ProcessTarget): WatchedProcess {
    return this.watched.watch(target, this.now());
  }

  unwatch(id: string): boolean {
    this.forget(id);
    return this.watched.unwatch(id);
  }

  watchedProcesses(): WatchedProcess[] {
    return this.watched.list();
  }

  /** Rules of a job or watched process. Procdeck cannot restart a process it did not start: refused for watched ones. */
  setAlertRules(subjectId: string, rules: readonly AlertRule[]): void {
    if (this.watched.get(subjectId) && rules.some((r) => r.action === 'restart')) {
      throw new EngineError('INVALID_REQUEST', 'a watched process was not started by Procdeck and cannot be restarted; use notify or stop', 'rules');
    }
    this.evaluator.setRules(subjectId, rules);
  }

  alertRules(subjectId: string): AlertRule[] {
    return this.evaluator.rulesOf(subjectId);
  }

  /** Subjects whose memory trend is currently flagged as a possible leak. */
  leaks(): (LeakVerdict & { subjectId: string })[] {
    const flagged: (LeakVerdict & { subjectId: string })[] = [];
    for (const [subjectId, subject] of this.subjects) if (subject.leak?.leaking) flagged.push({ subjectId, ...subject.leak });
    return flagged;
  }

  alertHistory(subjectId?: string, limit?: number): FiredAlert[] {
    return this.alerts.list(subjectId, limit);
  }

  /** Drops everything kept about a subject (a removed job, an unwatched process). */
  forget(subjectId: string): void {
    this.subjects.delete(subjectId);
    this.evaluator.forget(subjectId);
  }

  dispose(): void {
    this.scanner.dispose();
    this.stats.dispose();
    this.latest = this.beforeLatest = undefined;
    this.pending = undefined;
    this.view.closeAll();
  }
}
