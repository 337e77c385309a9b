import type { HistoryPoint, HistoryRange, LeakSettings, LeakVerdict, RunMetrics } from '../../../shared/monitoring';
import { LeakDetector } from './leakDetector';
import { RunHistory, type RunHistoryOptions } from './runHistory';
import { RunMetricsAccumulator } from './runMetrics';
import { samplesToCsv } from './samplesCsv';
import type { RunUsage } from '../backends/backend';
import type { RunSample } from './sampleAggregate';

/** The run a subject (a job's current run, or a watched process) is in. */
export interface SubjectRun {
  runId: string;
  /** Epoch ms. */
  startedAt: number;
}

export interface SubjectMonitorOptions {
  history?: Partial<RunHistoryOptions>;
  leak?: Partial<LeakSettings>;
}

/** Everything kept about one run of one subject: metrics, whole-run history, leak trend. */
export class SubjectMonitor {
  private readonly metricsAccumulator: RunMetricsAccumulator;
  private readonly runHistory: RunHistory;
  private readonly leakDetector: LeakDetector;
  /** Undefined before the first sample; built from the detector when asked (not at every tick). */
  private verdict?: LeakVerdict;
  private recorded = false;
  private flagged = false;

  constructor(
    readonly run: SubjectRun,
    public rootPid: number,
    options: SubjectMonitorOptions = {},
  ) {
    this.metricsAccumulator = new RunMetricsAccumulator(run.runId, run.startedAt);
    this.runHistory = new RunHistory(options.history);
    this.leakDetector = new LeakDetector(options.leak);
  }

  /** True before the first sample: the caller then counts the tree's whole-life CPU time. */
  get isFresh(): boolean {
    return this.metricsAccumulator.sampleCount === 0;
  }

  /** When the latest sample was recorded (epoch ms). */
  get lastSampleAt(): number | undefined {
    return this.runHistory.latestAt;
  }

  /** One tick: `cpuSeconds` is the CPU the tree used since the previous tick (or since it started). Says whether its memory is flagged as a possible leak now. */
  record(at: number, usage: RunUsage, cpuSeconds: number): boolean {
    this.metricsAccumulator.add(at, usage.cpu, usage.rss, cpuSeconds);
    this.runHistory.addValues(at, usage.cpu, usage.rss, usage.processes);
    this.flagged = this.leakDetector.push(at, usage.rss);
    this.recorded = true;
    this.verdict = undefined;
    return this.flagged;
  }

  /** Whether the latest sample left its memory flagged as a possible leak. */
  get leaking(): boolean {
    return this.flagged;
  }

  /** The leak verdict as of the latest sample; undefined before the first. */
  get leak(): LeakVerdict | undefined {
    if (this.recorded) this.verdict ??= this.leakDetector.verdict();
    return this.verdict;
  }

  history(range: HistoryRange, maxPoints?: number): HistoryPoint[] {
    return this.runHistory.query(range, maxPoints);
  }

  /** The newest samples one by one (at most `max`), oldest first. */
  latestSamples(max: number): RunSample[] {
    return this.runHistory.latest(max);
  }

  csv(): string {
    return samplesToCsv(this.runHistory.rows());
  }

  metrics(extra: { outputBytes: number; endedAt?: number; now?: number }): RunMetrics {
    return this.metricsAccumulator.metrics(extra);
  }
}
