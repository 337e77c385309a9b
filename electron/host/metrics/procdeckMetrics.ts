import type { EventEmitter } from 'node:events';
import { Counter, Gauge, Registry } from 'prom-client';
import type { CommandName, CommandRequest, CommandResponse, EventPayload } from '../../../shared/contract';
import { placementOf } from '../../../shared/jobSpec';
import type { JobSample, JobSnapshot } from '../../../shared/jobSnapshot';
import { isActive, isFinal, jobStateSchema } from '../../../shared/jobState';
import { alertActionSchema } from '../../../shared/monitoring';
import type { EngineEventMap } from '../../engine/eventCoalescer';
import type { Dispatch } from '../dispatch';
import { forwardEngineEvents } from '../engineEventForwarding';
import { DEFAULT_EXPORT_LIMITS, selectExportedJobs, type ExportLimits } from './exportedJobs';
import { processMetricsRegistry } from './processMetrics';

/** Groups with series at most (each job names its group, so their number is the operator's doing). */
export const MAX_EXPORTED_GROUPS = 200;

const JOB_LABELS = ['job_id', 'job_name', 'group', 'backend'] as const;
type JobLabels = Record<(typeof JOB_LABELS)[number], string>;

export interface MetricsSource {
  readonly contentType: string;
  /** The whole exposition, read fresh from the engine. */
  render(): Promise<string>;
}

export interface ProcdeckMetricsOptions {
  /** The contract's commands: jobs.list, groups.list and monitor.runMetrics are all a scrape asks. */
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
 * code, output bytes; per group the queue; alerts fired; and the process's own figures.
 * Health is not exported: the contract has no health of a job yet.
 */
export class ProcdeckMetrics implements MetricsSource {
  private readonly registry = new Registry();
  private readonly latestSamples = new Map<string, JobSample>();
  /** The exit code of each job's latest ended run: a restarted job keeps it while it runs again. */
  private readonly lastExitCodes = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private scraping: Promise<unknown> = Promise.resolve();
  private readonly limits: ExportLimits;
  private readonly now: () => number;

  private readonly cpuSeconds = this.counter('procdeck_job_cpu_seconds_total', "CPU time of the job's process tree in its current or latest run (resets when the job runs again)");
  private readonly residentBytes = this.gauge('procdeck_job_resident_memory_bytes', "Resident memory of the job's process tree at the latest sample (running jobs)");
  private readonly processes = this.gauge('procdeck_job_processes', "Processes in the job's tree at the latest sample (running jobs)");
  private readonly state = this.gauge('procdeck_job_state', 'The job is in this state (1; one series per job, labelled with its state)', ['state']);
  private readonly restarts = this.counter('procdeck_job_restarts_total', 'Restarts of the job, automatic (restart policy) or manual', ['kind']);
  private readonly lastExitCode = this.gauge('procdeck_job_last_exit_code', 'Exit code of the latest run that ended with one (absent after a signal or before any run ended)');
  private readonly outputBytes = this.counter('procdeck_job_output_bytes_total', 'Bytes of output (stdout and stderr) of the current or latest run (resets when the job runs again)');
  private readonly jobsByState = new Gauge({ name: 'procdeck_jobs', help: 'Jobs in each state, all of them (no retention rule or cap)', labelNames: ['state'], registers: [this.registry] });
  private readonly overCap = new Gauge({
    name: 'procdeck_jobs_without_series',
    help: 'Jobs that would have series but were left out by the cap on the number of jobs with series',
    registers: [this.registry],
  });
  private readonly groupQueued = new Gauge({ name: 'procdeck_group_queued_jobs', help: 'Jobs waiting in the queue of each pool group', labelNames: ['group'], registers: [this.registry] });
  private readonly groupRunning = new Gauge({ name: 'procdeck_group_running_jobs', help: 'Jobs running in each pool group', labelNames: ['group'], registers: [this.registry] });
  private readonly alertsFired = new Counter({
    name: 'procdeck_alerts_fired_total',
    help: 'Alerts fired since Procdeck started, by the action of the rule',
    labelNames: ['action'],
    registers: [this.registry],
  });

  constructor(private readonly options: ProcdeckMetricsOptions) {
    this.limits = options.limits ?? DEFAULT_EXPORT_LIMITS;
    this.now = options.now ?? Date.now;
    for (const action of alertActionSchema.options) this.alertsFired.inc({ action }, 0);
    this.unsubscribe = forwardEngineEvents(options.events, (name, payload) => {
      if (name === 'samples.tick') {
        // Each tick has every job sampled then; one not in it has no tree to measure any more.
        this.latestSamples.clear();
        for (const sample of (payload as EventPayload<'samples.tick'>).samples) this.latestSamples.set(sample.jobId, sample);
      } else if (name === 'jobs.changed') {
        for (const job of (payload as EventPayload<'jobs.changed'>).jobs) this.noteExit(job);
      } else if (name === 'jobs.removed') {
        for (const id of (payload as EventPayload<'jobs.removed'>).jobIds) this.lastExitCodes.delete(id);
      } else if (name === 'monitor.tick') {
        for (const alert of (payload as EventPayload<'monitor.tick'>).alerts) this.alertsFired.inc({ action: alert.action });
      }
    });
  }

  get contentType(): string {
    return this.registry.contentType;
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
    const [{ jobs }, { groups }] = await Promise.all([this.ask('jobs.list', {}), this.ask('groups.list', {})]);
    const { exported, overCap } = selectExportedJobs(jobs, this.now(), this.limits);
    const runMetrics = await Promise.all(exported.map((job) => this.cpuSecondsOf(job)));
    for (const job of jobs) this.noteExit(job);
    const listed = new Set(jobs.map((job) => job.id));
    for (const id of this.lastExitCodes.keys()) if (!listed.has(id)) this.lastExitCodes.delete(id);

    for (const metric of [this.cpuSeconds, this.residentBytes, this.processes, this.state, this.restarts, this.lastExitCode, this.outputBytes, this.jobsByState, this.groupQueued, this.groupRunning]) {
      metric.reset();
    }
    exported.forEach((job, index) => this.recordJob(job, runMetrics[index]));
    for (const state of jobStateSchema.options) this.jobsByState.set({ state }, jobs.filter((job) => job.state === state).length);
    this.overCap.set(overCap);
    const activeFirst = [...groups].sort((a, b) => b.running + b.queued - (a.running + a.queued));
    for (const group of activeFirst.slice(0, MAX_EXPORTED_GROUPS)) {
      this.groupQueued.set({ group: group.name }, group.queued);
      this.groupRunning.set({ group: group.name }, group.running);
    }
    return (await this.registry.metrics()) + (await processMetricsRegistry().metrics());
  }

  private recordJob(job: JobSnapshot, cpuSeconds: number | undefined): void {
    const labels: JobLabels = { job_id: job.id, job_name: job.name, group: job.spec.group, backend: placementOf(job.spec).kind };
    this.state.set({ ...labels, state: job.state }, 1);
    this.restarts.inc({ ...labels, kind: 'automatic' }, job.restarts.automatic);
    this.restarts.inc({ ...labels, kind: 'manual' }, job.restarts.manual);
    this.outputBytes.inc(labels, job.outputBytes);
    const exitCode = this.lastExitCodes.get(job.id);
    if (exitCode !== undefined) this.lastExitCode.set(labels, exitCode);
    if (cpuSeconds !== undefined) this.cpuSeconds.inc(labels, cpuSeconds);
    const sample = isActive(job.state) ? this.latestSamples.get(job.id) : undefined;
    if (sample) {
      this.residentBytes.set(labels, sample.rss);
      this.processes.set(labels, sample.processes);
    }
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

  private gauge(name: string, help: string, extraLabels: string[] = []) {
    return new Gauge({ name, help, labelNames: [...JOB_LABELS, ...extraLabels], registers: [this.registry] });
  }

  private counter(name: string, help: string, extraLabels: string[] = []) {
    return new Counter({ name, help, labelNames: [...JOB_LABELS, ...extraLabels], registers: [this.registry] });
  }
}
