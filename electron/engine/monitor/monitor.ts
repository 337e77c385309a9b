import type { AlertRule, FiredAlert, LeakSettings, LeakVerdict, ProcessTreeDetail } from '../../../shared/monitoring';
import type { RunSample } from '../backends/backend';
import { AlertEvaluator } from '../alerts/alertEvaluator';
import { AlertHistory } from '../alerts/alertHistory';
import type { EngineMonitorTick, EngineSystemTick } from '../eventCoalescer';
import { EngineError } from '../engineError';
import type { MachineMonitor } from './machineMonitor';
import type { RunHistoryOptions } from './runHistory';
import { cpuSecondsOver } from './runMetrics';
import { SubjectMonitor } from './subjectMonitor';

export interface MonitorOptions {
  leak?: Partial<LeakSettings>;
  history?: Partial<RunHistoryOptions>;
  alertHistorySize?: number;
}

/** Everything one sampling tick produced, for the events (the jobs' samples go to samples.tick as the backends gave them: SampleTickDelta). */
export interface TickRecord {
  /** The machine's figures (system.tick) and the viewers shown them, when measured this tick. */
  system?: EngineSystemTick;
  /** Watched processes, leak verdicts that changed, fired alerts, process lists (monitor.tick). */
  monitor: EngineMonitorTick;
}

/**
 * The monitor's record of every subject (a job's current run, a watched process): one
 * history per subject (its whole run, bounded), run metrics, leak trends, alert rules and the
 * alerts they fired. Fed once per tick with what the backends sampled and what this
 * machine's monitor (when there is one) measured.
 */
export class Monitor {
  private readonly subjects = new Map<string, SubjectMonitor>();
  private readonly evaluator = new AlertEvaluator();
  private readonly alerts: AlertHistory;

  constructor(
    /** This machine's own subjects and figures; undefined where there is no /proc. */
    readonly machine: MachineMonitor | undefined,
    private readonly options: MonitorOptions = {},
  ) {
    this.alerts = new AlertHistory(options.alertHistorySize);
  }

  /** One tick: records each job's sample and the machine's, in their histories, then evaluates the alert rules. */
  tick(at: number, jobs: ReadonlyMap<string, RunSample>): TickRecord {
    const monitor: EngineMonitorTick = { at, watched: [], watchEnded: [], leaks: [], alerts: [] };
    // forEach, not for-of: at one tick a second this runs unoptimized for minutes, where a for-of step over a Map allocates.
    jobs.forEach((sample, jobId) => this.record(jobId, sample, at, monitor));
    const machine = this.machine?.sample(at, jobs.size > 0);
    if (machine) {
      monitor.watchEnded = machine.ended;
      for (const [id, sample] of machine.watched) {
        const { cpu, rss, processes } = sample.usage;
        monitor.watched.push({ id, cpu, rss, processes });
        this.record(id, sample, at, monitor);
      }
      if (machine.processLists) monitor.processLists = machine.processLists;
    }
    this.alerts.add(monitor.alerts);
    return { ...(machine?.system && { system: { ...machine.system, viewers: machine.systemViewers ?? [] } }), monitor };
  }

  /** Whether the machine's own subjects or viewers want ticks without any job running (SamplingLoop). */
  wantsTicks(): boolean {
    return this.machine?.wantsTicks() ?? false;
  }

  subject(id: string): SubjectMonitor | undefined {
    return this.subjects.get(id);
  }

  /** Per-process detail of a subject's tree from the latest scan (subjects on this machine only). */
  treeDetail(subjectId: string): ProcessTreeDetail | undefined {
    const subject = this.subjects.get(subjectId);
    return subject && this.machine?.treeDetail(subjectId, subject.rootPid);
  }

  /** Rules of a job or watched process. Procdeck cannot restart a process it did not start: refused for watched ones. */
  setAlertRules(subjectId: string, rules: readonly AlertRule[]): void {
    if (this.machine?.isWatched(subjectId) && rules.some((r) => r.action === 'restart')) {
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
    for (const [subjectId, subject] of this.subjects) if (subject.leaking) flagged.push({ subjectId, ...subject.leak! });
    return flagged;
  }

  alertHistory(subjectId?: string, limit?: number): FiredAlert[] {
    return this.alerts.list(subjectId, limit);
  }

  /** Stops watching a process and drops what was kept about it. */
  unwatch(id: string): boolean {
    this.forget(id);
    return this.machine?.unwatch(id) ?? false;
  }

  /** Drops everything kept about a subject (a removed job, an unwatched process). */
  forget(subjectId: string): void {
    this.subjects.delete(subjectId);
    this.evaluator.forget(subjectId);
  }

  dispose(): void {
    this.machine?.dispose();
  }

  private record(id: string, sample: RunSample, at: number, tick: EngineMonitorTick): void {
    const { usage } = sample;
    let subject = this.subjects.get(id);
    if (subject?.run.runId !== sample.runId) {
      subject = new SubjectMonitor({ runId: sample.runId, startedAt: sample.startedAt }, usage.pids?.[0] ?? 0, { history: this.options.history, leak: this.options.leak });
      this.subjects.set(id, subject);
    }
    subject.rootPid = usage.pids?.[0] ?? subject.rootPid;
    const wasLeaking = subject.leaking;
    // A run's first sample counts its whole life so far; later ones the CPU of the interval.
    const cpuSeconds = subject.isFresh
      ? (usage.lifetimeCpuSeconds ?? 0)
      : cpuSecondsOver(usage.cpu, usage.intervalSeconds ?? (at - (subject.lastSampleAt ?? at)) / 1000);
    const leaking = subject.record(at, usage, cpuSeconds);
    // The verdict object is built only where it goes somewhere: a flag that is or was up, a subject with rules.
    if (leaking || wasLeaking) tick.leaks.push({ subjectId: id, ...subject.leak! });
    if (!this.evaluator.hasRules(id)) return;
    const input = { at, cpu: usage.cpu, rss: usage.rss, runStartedAt: sample.startedAt, leak: subject.leak, ...(sample.name !== undefined && { subjectName: sample.name }) };
    for (const alert of this.evaluator.evaluate(id, input)) tick.alerts.push(alert);
  }
}
