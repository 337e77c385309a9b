import type { AlertRule, FiredAlert, HistoryPoint, HistoryRange, LeakVerdict, ProcessTarget, ProcessTreeDetail, RunMetrics, SystemProcessList, SystemProcessQueryInput, SystemStats, WatchedProcess } from '../../../shared/monitoring';
import { EngineError } from '../engineError';
import type { Job } from '../jobs/job';
import type { SampleHistory, SamplePoint } from '../monitor/sampleHistory';
import type { MonitoringBridge } from '../monitoringBridge';
import type { JobStore } from '../store/jobStore';

export interface MonitorContext {
  bridge: MonitoringBridge;
  history: SampleHistory;
  jobs: ReadonlyMap<string, Job>;
  store: JobStore;
}

/**
 * engine.monitor: what the sampling ticks recorded (histories, run metrics, leak trends, fired
 * alerts), alert rules, watched processes and the system view. A viewer is whoever looks at
 * the system view (one per host connection): an opaque id here.
 */
export class MonitorService {
  constructor(private readonly ctx: MonitorContext) {}

  /** Recent busy % per core (the machine's latest tick), for least-loaded pinning. */
  get coreLoad(): readonly number[] {
    return this.ctx.bridge.coreLoad;
  }

  /** The job's latest samples, oldest first (samples.history). */
  samples(jobId: string): SamplePoint[] {
    if (!this.ctx.jobs.has(jobId)) throw new EngineError('NOT_FOUND', `no job with id ${jobId}`, 'jobId');
    return this.ctx.history.get(jobId);
  }

  history(subjectId: string, range: HistoryRange, maxPoints?: number): HistoryPoint[] {
    return this.ctx.bridge.history(subjectId, range, maxPoints);
  }

  csv(subjectId: string): string {
    return this.ctx.bridge.csv(subjectId);
  }

  runMetrics(subjectId: string): RunMetrics | null {
    return this.ctx.bridge.runMetrics(subjectId);
  }

  tree(subjectId: string): ProcessTreeDetail | null {
    return this.ctx.bridge.get().treeDetail(subjectId) ?? null;
  }

  /** Opens, renews or closes one viewer's system view. */
  viewSystem(viewer: string, visible: boolean, processes?: SystemProcessQueryInput): void {
    this.ctx.bridge.viewSystem(viewer, visible, processes);
  }

  /** A viewer's connection is gone: its system view ends now, not when its lease runs out. */
  viewerGone(viewer: string): void {
    this.ctx.bridge.viewerGone(viewer);
  }

  systemProcesses(query: SystemProcessQueryInput): SystemProcessList {
    return this.ctx.bridge.get().systemProcesses(query);
  }

  systemStats(): SystemStats {
    return this.ctx.bridge.get().systemStats();
  }

  /** True while something besides jobs needs ticks: a live watched process or an open system view. */
  needsTicks(): boolean {
    return this.ctx.bridge.get().needsTicks();
  }

  watch(target: ProcessTarget): WatchedProcess {
    return this.ctx.bridge.get().watch(target);
  }

  unwatch(id: string): void {
    this.ctx.bridge.get().unwatch(id);
  }

  watchedProcesses(): WatchedProcess[] {
    return this.ctx.bridge.get().watchedProcesses();
  }

  /** Replaces the alert rules of a job (kept with its spec) or of a watched process. */
  setAlertRules(subjectId: string, rules: AlertRule[]): AlertRule[] {
    const job = this.ctx.jobs.get(subjectId);
    this.ctx.bridge.get().setAlertRules(subjectId, rules);
    if (job) {
      job.spec.alerts = rules;
      this.ctx.store.changed(job.id);
    }
    return this.ctx.bridge.get().alertRules(subjectId);
  }

  alertRules(subjectId: string): AlertRule[] {
    return this.ctx.bridge.get().alertRules(subjectId);
  }

  /** Subjects flagged as possible leaks now (monitor.tick only pushes changes). */
  leaks(): (LeakVerdict & { subjectId: string })[] {
    return this.ctx.bridge.get().leaks();
  }

  alertHistory(subjectId?: string, limit?: number): FiredAlert[] {
    return this.ctx.bridge.get().alertHistory(subjectId, limit);
  }
}
