import type { HistoryPoint, HistoryRange } from '../../../shared/monitoring';
import { aggregateOf, foldInto, meanAt, pointOf, reduceToSlots, type RunSample, type SampleAggregate } from './sampleAggregate';

export interface RunHistoryOptions {
  /** Samples younger than this (behind the newest) are kept one by one. */
  fullRateMs: number;
  /** Cap on samples kept one by one, whatever the tick rate. */
  maxFullRatePoints: number;
  /** Initial width of the buckets older samples are folded into; doubles whenever maxBuckets is exceeded. */
  bucketMs: number;
  maxBuckets: number;
}

export const DEFAULT_RUN_HISTORY: RunHistoryOptions = {
  fullRateMs: 10 * 60_000,
  maxFullRatePoints: 3000,
  bucketMs: 5000,
  maxBuckets: 1200,
};

export const HISTORY_RANGE_MS: Record<HistoryRange, number> = {
  '1m': 60_000,
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  run: Number.POSITIVE_INFINITY,
};

interface Bucket {
  /** floor((time − origin) / bucketMs): buckets stay aligned when their width doubles. */
  key: number;
  aggregate: SampleAggregate;
}

/** Columns of a full-rate row in RunHistory's row store. */
const AT = 0;
const CPU = 1;
const RSS = 2;
const PROCESSES = 3;
const ROW = 4;

/**
 * The whole history of one run, bounded: the recent minutes at full rate, older samples
 * folded into time buckets (average, min and max) whose width doubles as the run grows, so
 * a run of any length holds at most maxFullRatePoints + maxBuckets entries.
 *
 * The full-rate samples are rows of numbers in one Float64Array, not an object each: every
 * subject adds one at every tick and keeps it for ten minutes, so objects would all be copied
 * out of the young generation into the old one (600 ticks × 100 jobs ≈ 4 MB of them there).
 * Objects are made only when asked (latest, the query and the export).
 */
export class RunHistory {
  private readonly options: RunHistoryOptions;
  /** Full-rate rows from `recentStart` up to `recentEnd` (ROW numbers each); the consumed front is cut off in batches. */
  private recent = new Float64Array(8 * ROW);
  private recentStart = 0;
  private recentEnd = 0;
  private buckets: Bucket[] = [];
  private bucketMs: number;
  private origin?: number;

  constructor(options: Partial<RunHistoryOptions> = {}) {
    this.options = { ...DEFAULT_RUN_HISTORY, ...options };
    this.bucketMs = this.options.bucketMs;
  }

  /** Samples arrive in time order; one older than the newest is dropped. */
  add(sample: RunSample): void {
    this.addValues(sample.at, sample.cpu, sample.rss, sample.processes);
  }

  /** add() without the sample object (once per subject per tick). */
  addValues(at: number, cpu: number, rss: number, processes: number): void {
    if (this.recentEnd > 0 && at < this.recent[(this.recentEnd - 1) * ROW + AT]!) return;
    this.origin ??= at;
    if ((this.recentEnd + 1) * ROW > this.recent.length) this.makeRoom();
    const row = this.recentEnd * ROW;
    this.recent[row + AT] = at;
    this.recent[row + CPU] = cpu;
    this.recent[row + RSS] = rss;
    this.recent[row + PROCESSES] = processes;
    this.recentEnd++;
    const cutoff = at - this.options.fullRateMs;
    const last = this.recentEnd - 1;
    while (this.recentStart < last && (this.recent[this.recentStart * ROW + AT]! < cutoff || last + 1 - this.recentStart > this.options.maxFullRatePoints)) {
      this.fold(this.sampleAt(this.recentStart));
      this.recentStart++;
    }
  }

  /** Entries held (buckets + full-rate samples). */
  get size(): number {
    return this.buckets.length + this.recentEnd - this.recentStart;
  }

  get latestAt(): number | undefined {
    return this.recentEnd > 0 ? this.recent[(this.recentEnd - 1) * ROW + AT] : undefined;
  }

  /** Width of the oldest buckets now, ms. */
  get currentBucketMs(): number {
    return this.bucketMs;
  }

  /** The last `range` of the run (measured back from its newest sample), at most `maxPoints` points. */
  query(range: HistoryRange, maxPoints = 300): HistoryPoint[] {
    const latest = this.latestAt;
    if (latest === undefined) return [];
    const from = latest - HISTORY_RANGE_MS[range];
    return reduceToSlots(
      this.aggregates().filter((a) => meanAt(a) >= from),
      maxPoints,
    );
  }

  /** The newest samples kept one by one, at most `max` of them, oldest first. */
  latest(max: number): RunSample[] {
    const samples: RunSample[] = [];
    for (let i = Math.max(this.recentStart, this.recentEnd - max); i < this.recentEnd; i++) samples.push(this.sampleAt(i));
    return samples;
  }

  /** Everything held, oldest first: bucket averages, then every recent sample (the CSV export). */
  rows(): HistoryPoint[] {
    return this.aggregates().map(pointOf);
  }

  private aggregates(): SampleAggregate[] {
    const aggregates = this.buckets.map((b) => b.aggregate);
    for (let i = this.recentStart; i < this.recentEnd; i++) aggregates.push(aggregateOf(this.sampleAt(i)));
    return aggregates;
  }

  private sampleAt(index: number): RunSample {
    const row = index * ROW;
    const { recent } = this;
    return { at: recent[row + AT]!, cpu: recent[row + CPU]!, rss: recent[row + RSS]!, processes: recent[row + PROCESSES]! };
  }

  /**
   * Room for one more row: the consumed front cut off when it is at least a quarter of the
   * store, else a store twice the size (small at first: a short job keeps a few samples).
   */
  private makeRoom(): void {
    if (this.recentStart > 0 && this.recentStart * ROW * 4 >= this.recent.length) {
      this.recent.copyWithin(0, this.recentStart * ROW, this.recentEnd * ROW);
    } else {
      const grown = new Float64Array(this.recent.length * 2);
      grown.set(this.recent.subarray(this.recentStart * ROW, this.recentEnd * ROW));
      this.recent = grown;
    }
    this.recentEnd -= this.recentStart;
    this.recentStart = 0;
  }

  private fold(sample: RunSample): void {
    const key = Math.floor((sample.at - (this.origin ?? sample.at)) / this.bucketMs);
    const last = this.buckets[this.buckets.length - 1];
    if (last?.key === key) foldInto(last.aggregate, aggregateOf(sample));
    else this.buckets.push({ key, aggregate: aggregateOf(sample) });
    if (this.buckets.length > this.options.maxBuckets) this.coarsen();
  }

  private coarsen(): void {
    this.bucketMs *= 2;
    const merged: Bucket[] = [];
    for (const bucket of this.buckets) {
      const key = Math.floor(bucket.key / 2);
      const last = merged[merged.length - 1];
      if (last?.key === key) foldInto(last.aggregate, bucket.aggregate);
      else merged.push({ key, aggregate: { ...bucket.aggregate } });
    }
    this.buckets = merged;
  }
}
