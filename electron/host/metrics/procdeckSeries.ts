import { Counter, Gauge, Registry } from 'prom-client';
import type { JobSample, JobSnapshot } from '../../../shared/jobSnapshot';
import { isActive, jobStateSchema } from '../../../shared/jobState';
import { placementOf } from '../../../shared/jobSpec';
import type { CommandResponse } from '../../../shared/contract';
import { processMetricsRegistry } from './processMetrics';

/** Groups with series at most (each job names its group, so their number is the operator's doing). */
export const MAX_EXPORTED_GROUPS = 200;

const JOB_LABELS = ['job_id', 'job_name', 'group', 'backend'] as const;
type JobLabels = Record<(typeof JOB_LABELS)[number], string>;

/** What one scrape knows: the contract's answers plus what the metrics saw on its events. */
export interface ScrapeFigures {
  jobs: JobSnapshot[];
  exported: JobSnapshot[];
  /** monitor.runMetrics' CPU seconds of each exported job, in its order. */
  cpuSeconds: (number | undefined)[];
  overCap: number;
  groups: CommandResponse<'groups.list'>['groups'];
  latestSamples: ReadonlyMap<string, JobSample>;
  lastExitCodes: ReadonlyMap<string, number>;
  alertsFired: ReadonlyMap<string, number>;
  /** logs.usage's answer. */
  logUsage: CommandResponse<'logs.usage'>;
}

/**
 * The Prometheus series (prom-client), built at the first scrape: an engine nobody scrapes
 * never loads prom-client (with @opentelemetry/api, ~1.5 MB of heap). Every scrape fills
 * them afresh from ScrapeFigures.
 */
export class ProcdeckSeries {
  private readonly registry = new Registry();
  private readonly cpuSeconds = this.counter('procdeck_job_cpu_seconds_total', "CPU time of the job's process tree in its current or latest run (resets when the job runs again)");
  private readonly residentBytes = this.gauge('procdeck_job_resident_memory_bytes', "Resident memory of the job's process tree at the latest sample (running jobs)");
  private readonly processes = this.gauge('procdeck_job_processes', "Processes in the job's tree at the latest sample (running jobs)");
  private readonly state = this.gauge('procdeck_job_state', 'The job is in this state (1; one series per job, labelled with its state)', ['state']);
  private readonly health = this.gauge('procdeck_job_health', "The job's run is in this health state (1; starting until its readiness probe passed, then healthy or unhealthy; only jobs with probes, while running)", ['state']);
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
  private readonly logBytes = new Gauge({ name: 'procdeck_log_bytes', help: 'Disk space all run logs take (<data dir>/logs)', registers: [this.registry] });
  private readonly logBudgetBytes = new Gauge({
    name: 'procdeck_log_budget_bytes',
    help: 'The log budget (logBudgetBytes): beyond it the oldest logs are deleted',
    registers: [this.registry],
  });
  private readonly logFiles = new Gauge({ name: 'procdeck_log_files', help: 'Run log files (rotated parts included)', registers: [this.registry] });
  private readonly alertsFired = new Counter({
    name: 'procdeck_alerts_fired_total',
    help: 'Alerts fired since Procdeck started, by the action of the rule',
    labelNames: ['action'],
    registers: [this.registry],
  });

  async render(figures: ScrapeFigures): Promise<string> {
    for (const metric of [this.cpuSeconds, this.residentBytes, this.processes, this.state, this.health, this.restarts, this.lastExitCode, this.outputBytes, this.jobsByState, this.groupQueued, this.groupRunning, this.alertsFired]) {
      metric.reset();
    }
    figures.exported.forEach((job, index) => this.recordJob(job, figures, figures.cpuSeconds[index]));
    for (const state of jobStateSchema.options) this.jobsByState.set({ state }, figures.jobs.filter((job) => job.state === state).length);
    this.overCap.set(figures.overCap);
    const activeFirst = [...figures.groups].sort((a, b) => b.running + b.queued - (a.running + a.queued));
    for (const group of activeFirst.slice(0, MAX_EXPORTED_GROUPS)) {
      this.groupQueued.set({ group: group.name }, group.queued);
      this.groupRunning.set({ group: group.name }, group.running);
    }
    for (const [action, count] of figures.alertsFired) this.alertsFired.inc({ action }, count);
    this.logBytes.set(figures.logUsage.usedBytes);
    this.logBudgetBytes.set(figures.logUsage.budgetBytes);
    this.logFiles.set(figures.logUsage.files);
    return (await this.registry.metrics()) + (await processMetricsRegistry().metrics());
  }

  private recordJob(job: JobSnapshot, figures: ScrapeFigures, cpuSeconds: number | undefined): void {
    const labels: JobLabels = { job_id: job.id, job_name: job.name, group: job.spec.group, backend: placementOf(job.spec).kind };
    this.state.set({ ...labels, state: job.state }, 1);
    if (job.health) this.health.set({ ...labels, state: job.health.state }, 1);
    this.restarts.inc({ ...labels, kind: 'automatic' }, job.restarts.automatic);
    this.restarts.inc({ ...labels, kind: 'manual' }, job.restarts.manual);
    this.outputBytes.inc(labels, job.outputBytes);
    const exitCode = figures.lastExitCodes.get(job.id);
    if (exitCode !== undefined) this.lastExitCode.set(labels, exitCode);
    if (cpuSeconds !== undefined) this.cpuSeconds.inc(labels, cpuSeconds);
    const sample = isActive(job.state) ? figures.latestSamples.get(job.id) : undefined;
    if (sample) {
      this.residentBytes.set(labels, sample.rss);
      this.processes.set(labels, sample.processes);
    }
  }

  private gauge(name: string, help: string, extraLabels: string[] = []) {
    return new Gauge({ name, help, labelNames: [...JOB_LABELS, ...extraLabels], registers: [this.registry] });
  }

  private counter(name: string, help: string, extraLabels: string[] = []) {
    return new Counter({ name, help, labelNames: [...JOB_LABELS, ...extraLabels], registers: [this.registry] });
  }
}
