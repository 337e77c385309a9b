import type { JobSample } from '../../../shared/jobSnapshot';
import type {
  AlertRule,
  FiredAlert,
  HistoryPoint,
  HistoryRange,
  LeakVerdict,
  ProcessTarget,
  ProcessTreeDetail,
  RunMetrics,
  SystemProcessList,
  SystemProcessQueryInput,
  SystemStats,
  WatchedProcess,
} from '../../../shared/monitoring';
import { EngineError } from '../engineError';
import type { Job } from '../jobs/job';
import type { MachineMonitor, StatsDemand } from '../monitor/machineMonitor';
import type { Monitor } from '../monitor/monitor';
import type { JobStore } from '../store/jobStore';

export type { StatsDemand };

/** The samples samples.history answers with: the latest run's newest, as samples.tick sent them. */
const RECENT_SAMPLES = 600;

export interface MonitorContext {
  monitor: Monitor;
  jobs: ReadonlyMap<string, Job>;
  store: JobStore;
}

/**
 * engine.monitor: what the sampling ticks recorded (one history per subject: a job's latest
 * run, a watched process), run metrics, leak trends, alert rules and the alerts they fired,
 * and this machine's own view (watched processes, the system view, process trees). A viewer
 * is whoever looks at the system view (the host's connections): an opaque id here.
 */
export class MonitorService {
  constructor(private readonly ctx: MonitorContext) {}

  /** Recent busy % per core (the machine's latest tick), for least-loaded pinning. */
  get coreLoad(): readonly number[] {
    return this.ctx.monitor.machine?.coreLoad ?? [];
  }

  /** The newest samples of the job's latest run, oldest first (samples.history), from its one history. */
  samples(jobId: string): (JobSample & { at: number })[] {
    if (!this.ctx.jobs.has(jobId)) throw new EngineError('NOT_FOUND', `no job with id ${jobId}`, 'jobId');
    const subject = this.ctx.monitor.subject(jobId);
    return (subject?.latestSamples(RECENT_SAMPLES) ?? []).map(({ at, cpu, rss, processes }) => ({ at, jobId, cpu, rss, processes }));
  }

  history(subjectId: string, range: HistoryRange, maxPoints?: number): HistoryPoint[] {
    return this.ctx.monitor.subject(subjectId)?.history(range, maxPoints) ?? [];
  }

  csv(subjectId: string): string {
    const subject = this.ctx.monitor.subject(subjectId);
    if (!subject) throw new EngineError('NOT_FOUND', `no samples recorded for ${subjectId}`, 'subjectId');
    return subject.csv();
  }

  runMetrics(subjectId: string): RunMetrics | null {
    const subject = this.ctx.monitor.subject(subjectId);
    if (!subject) return null;
    // Output and the end are the run's own: only while the job's latest run is the one recorded.
    const run = this.ctx.jobs.get(subjectId)?.run;
    const same = run?.runId === subject.run.runId;
    return subject.metrics({ outputBytes: same ? run.log.totalBytes : 0, ...(same && run.endedAt !== undefined && { endedAt: run.endedAt }) });
  }

  tree(subjectId: string): ProcessTreeDetail | null {
    this.machine();
    return this.ctx.monitor.treeDetail(subjectId) ?? null;
  }

  /** Opens, renews or closes one viewer's system view. */
  viewSystem(viewer: string, visible: boolean, processes?: SystemProcessQueryInput): void {
    if (visible) this.machine().viewSystem(processes === undefined ? {} : { processes }, undefined, viewer);
    else this.machine().closeSystemView(viewer);
  }

  /** A viewer's connection is gone: its system view ends now, not when its lease runs out. */
  viewerGone(viewer: string): void {
    this.ctx.monitor.machine?.closeSystemView(viewer);
  }

  systemProcesses(query: SystemProcessQueryInput): SystemProcessList {
    return this.machine().systemProcesses(query);
  }

  systemStats(): SystemStats {
    return this.machine().systemStats();
  }

  /**
   * A host's subscribers that asked for system.tick (`wanted`, asked once per tick) keep the
   * machine's figures measured without a system view open. The host calls `changed()` when a
   * subscriber comes (a paused sampling loop asks nobody), and `release()` at its end.
   */
  demandSystemStats(wanted: () => boolean): StatsDemand {
    return this.ctx.monitor.machine?.demandStats(wanted) ?? { release: () => undefined, changed: () => undefined };
  }

  /** True while something besides jobs needs ticks: a live watched process or an open system view. */
  needsTicks(): boolean {
    return this.machine().needsTicks();
  }

  watch(target: ProcessTarget): WatchedProcess {
    return this.machine().watch(target);
  }

  unwatch(id: string): void {
    this.machine();
    this.ctx.monitor.unwatch(id);
  }

  watchedProcesses(): WatchedProcess[] {
    return this.machine().watchedProcesses();
  }

  /** Replaces the alert rules of a job (kept with its spec) or of a watched process. */
  setAlertRules(subjectId: string, rules: AlertRule[]): AlertRule[] {
    const job = this.ctx.jobs.get(subjectId);
    this.ctx.monitor.setAlertRules(subjectId, rules);
    if (job) {
      job.spec.alerts = rules;
      this.ctx.store.changed(job.id);
    }
    return this.ctx.monitor.alertRules(subjectId);
  }

  alertRules(subjectId: string): AlertRule[] {
    return this.ctx.monitor.alertRules(subjectId);
  }

  /** Subjects flagged as possible leaks now (monitor.tick only pushes changes). */
  leaks(): (LeakVerdict & { subjectId: string })[] {
    return this.ctx.monitor.leaks();
  }

  alertHistory(subjectId?: string, limit?: number): FiredAlert[] {
    return this.ctx.monitor.alertHistory(subjectId, limit);
  }

  /**
   * This machine's monitor. Where there is no /proc there is none and its commands (trees,
   * the system view, watched processes) say so; what is fed by samples (histories, metrics,
   * leaks, alerts) works wherever a backend samples its runs.
   */
  private machine(): MachineMonitor {
    const machine = this.ctx.monitor.machine;
    if (!machine) throw new EngineError('UNSUPPORTED', 'process monitoring in depth needs /proc (Linux)');
    return machine;
  }
}
