import type { EventEmitter } from 'node:events';
import type { CommandName, CommandRequest, CommandResponse, EventPayload } from '../../../shared/contract';
import type { JobSample, JobSnapshot } from '../../../shared/jobSnapshot';
import { isFinal } from '../../../shared/jobState';
import { alertActionSchema } from '../../../shared/monitoring';
import type { EngineEventMap } from '../../engine/eventCoalescer';
import type { Dispatch } from '../dispatch';
import { forwardEngineEvents } from '../engineEventForwarding';
import { DEFAULT_EXPORT_LIMITS, selectExportedJobs, type ExportLimits } from './exportedJobs';
import type { ProcdeckSeries } from './procdeckSeries';

/** prom-client's Registry.PROMETHEUS_CONTENT_TYPE, known before prom-client is loaded (a test keeps them equal). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsSource {
  readonly contentType: string;
  /** The whole exposition, read fresh from the engine. */
  render(): Promise<string>;
}

export interface ProcdeckMetricsOptions {
  /** The contract's commands: jobs.list, groups.list, logs.usage and monitor.runMetrics are all a scrape asks. */
  dispatch: Dispatch;
  /** The contract's events: samples.tick (resident memory, processes), jobs.changed (exit codes), monitor.tick (alerts). */
  events: EventEmitter<EngineEventMap>;
  limits?: ExportLimits;
  now?: () => number;
}

/**
 * Procdeck's Prometheus metrics, derived from the contract alone (what any client of the
 * engine can see), never from engine internals. Per job (see exportedJobs.ts for which):
 * CPU seconds, resident bytes and processes of its process tree, state, restarts, last exit
 * code, output bytes; per group the queue; alerts fired; the run logs' disk space and budget;
 * and the process's own figures.
 * Health: one series per declared service whose run has probes, labelled with its state.
 * What only the events tell (latest samples, exit codes, alerts) is followed from the start;
 * the series themselves (procdeckSeries.ts, prom-client) are loaded at the first scrape.
 */
export class ProcdeckMetrics implements MetricsSource {
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  private readonly latestSamples = new Map<string, JobSample>();
  private heardSamples = false;
  /** The exit code of each job's latest ended run: a restarted job keeps it while it runs again. */
  private readonly lastExitCodes = new Map<string, number>();
  /** Alerts fired since start, by the action of the rule. */
  private readonly alertsFired = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private scraping: Promise<unknown> = Promise.resolve();
  private series?: Promise<ProcdeckSeries>;
  private readonly limits: ExportLimits;
  private readonly now: () => number;

  constructor(private readonly options: ProcdeckMetricsOptions) {
    this.limits = options.limits ?? DEFAULT_EXPORT_LIMITS;
    this.now = options.now ?? Date.now;
    for (const action of alertActionSchema.options) this.alertsFired.set(action, 0);
    this.unsubscribe = forwardEngineEvents(options.events, (name, payload, _forViewer, whole) => {
      if (name === 'samples.tick') {
        // A change against the tick before (the first one heard taken whole, in case the engine
        // ticked before this listened): a job not in it keeps its sample, one gone has no tree to measure any more.
        const tick = (this.heardSamples ? payload : (whole?.() ?? payload)) as EventPayload<'samples.tick'>;
        this.heardSamples = true;
        if (tick.full) this.latestSamples.clear();
        for (const jobId of tick.gone ?? []) this.latestSamples.delete(jobId);
        for (const sample of tick.samples) this.latestSamples.set(sample.jobId, sample);
      } else if (name === 'jobs.changed') {
        for (const job of (payload as EventPayload<'jobs.changed'>).jobs) this.noteExit(job);
      } else if (name === 'jobs.removed') {
        for (const id of (payload as EventPayload<'jobs.removed'>).jobIds) this.lastExitCodes.delete(id);
      } else if (name === 'monitor.tick') {
        for (const alert of (payload as EventPayload<'monitor.tick'>).alerts) this.alertsFired.set(alert.action, (this.alertsFired.get(alert.action) ?? 0) + 1);
      }
    });
  }

  /** One scrape at a time: each fills the same series afresh. */
  render(): Promise<string> {
    const next = this.scraping.then(() => this.scrape());
    this.scraping = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.unsubscribe();
  }

  private async scrape(): Promise<string> {
    this.series ??= import('./procdeckSeries').then(({ ProcdeckSeries }) => new ProcdeckSeries());
    const series = await this.series;
    const [{ jobs }, { groups }, logUsage] = await Promise.all([this.ask('jobs.list', {}), this.ask('groups.list', {}), this.ask('logs.usage', {})]);
    const { exported, overCap } = selectExportedJobs(jobs, this.now(), this.limits);
    const cpuSeconds = await Promise.all(exported.map((job) => this.cpuSecondsOf(job)));
    for (const job of jobs) this.noteExit(job);
    const listed = new Set(jobs.map((job) => job.id));
    for (const id of this.lastExitCodes.keys()) if (!listed.has(id)) this.lastExitCodes.delete(id);
    return series.render({ jobs, exported, cpuSeconds, overCap, groups, latestSamples: this.latestSamples, lastExitCodes: this.lastExitCodes, alertsFired: this.alertsFired, logUsage });
  }

  private noteExit(job: JobSnapshot): void {
    if (!isFinal(job.state)) return;
    if (job.exitCode !== undefined) this.lastExitCodes.set(job.id, job.exitCode);
    else if (job.runId !== undefined) this.lastExitCodes.delete(job.id);
  }

  /** A job that never ran has no run to measure; one the monitor cannot see (no /proc) has no figure. */
  private async cpuSecondsOf(job: JobSnapshot): Promise<number | undefined> {
    if (job.runId === undefined) return undefined;
    const result = await this.options.dispatch('monitor.runMetrics', { subjectId: job.id });
    return result.ok ? (result.value as CommandResponse<'monitor.runMetrics'>).metrics?.cpuSeconds : undefined;
  }

  private async ask<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
    const result = await this.options.dispatch(name, request);
    if (!result.ok) throw new Error(`${name} failed while collecting metrics: ${result.error.message}`);
    return result.value as CommandResponse<N>;
  }
}
