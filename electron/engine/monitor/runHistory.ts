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

/**
 * The whole history of one run, bounded: the recent minutes at full rate, older samples
 * folded into time buckets (average, min and max) whose width doubles as the run grows, so
 * a run of any length holds at most maxFullRatePoints + maxBuckets entries.
 */
export class RunHistory {
  private readonly options: RunHistoryOptions;
  /** Full-rate samples from index `recentStart` on; the consumed front is cut off in batches. */
  private recent: RunSample[] = [];
  private recentStart = 0;
  private buckets: Bucket[] = [];
  private bucketMs: number;
  private origin?: number;

  constructor(options: Partial<RunHistoryOptions> = {}) {
    this.options = { ...DEFAULT_RUN_HISTORY, ...options };
    this.bucketMs = this.options.bucketMs;
  }

  /** Samples arrive in time order; one older than the newest is dropped. */
  add(sample: RunSample): void {
    const newest = this.recent[this.recent.length - 1];
    if (newest && sample.at < newest.at) return;
    this.origin ??= sample.at;
    this.recent.push(sample);
    const cutoff = sample.at - this.options.fullRateMs;
    const last = this.recent.length - 1;
    while (
      this.recentStart < last &&
      (this.recent[this.recentStart]!.at < cutoff || last + 1 - this.recentStart > this.options.maxFullRatePoints)
    ) {
      this.fold(this.recent[this.recentStart]!);
      this.recentStart++;
    }
    if (this.recentStart >= 1024) {
      this.recent = this.recent.slice(this.recentStart);
      this.recentStart = 0;
    }
  }

  /** Entries held (buckets + full-rate samples). */
  get size(): number {
    return this.buckets.length + this.recent.length - this.recentStart;
  }

  get latestAt(): number | undefined {
    return this.recent[this.recent.length - 1]?.at;
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
    return this.recent.slice(Math.max(this.recentStart, this.recent.length - max));
  }

  /** Everything held, oldest first: bucket averages, then every recent sample (the CSV export). */
  rows(): HistoryPoint[] {
    return this.aggregates().map(pointOf);
  }

  private aggregates(): SampleAggregate[] {
    const aggregates = this.buckets.map((b) => b.aggregate);
    for (let i = this.recentStart; i < this.recent.length; i++) aggregates.push(aggregateOf(this.recent[i]!));
    return aggregates;
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
