import { leakSettingsSchema, type LeakSettings, type LeakVerdict } from '../../../shared/monitoring';
import { addPoint, emptySums, fitSums, removePoint } from './linearFit';

const MINUTE = 60_000;
const MiB = 1024 * 1024;

export const DEFAULT_LEAK_SETTINGS: LeakSettings = leakSettingsSchema.parse({});

/**
 * Flags memory that keeps rising: a least-squares line through RSS over a sliding window,
 * flagged when its slope and R² both pass their thresholds. A grow-then-plateau curve can
 * still fit a line well (ramp over half the window, flat over the other half: R² = 0.8),
 * so the newest half of the window must be rising too: a plateau that fills it is not flagged.
 */
export class LeakDetector {
  readonly settings: LeakSettings;
  /** Samples from index `start` on are in the window; the front is cut off in batches (no copy per tick). */
  private times: number[] = [];
  private values: number[] = [];
  private start = 0;
  /** Samples from index `recentStart` on are in the newest half of the window. */
  private recentStart = 0;
  /** Least-squares sums of the window and of its newest half, updated per sample: a verdict costs O(1). */
  private whole = emptySums();
  private newest = emptySums();

  constructor(settings: Partial<LeakSettings> = {}) {
    this.settings = { ...DEFAULT_LEAK_SETTINGS, ...settings };
  }

  /** Adds one RSS sample (bytes at epoch ms) and returns the verdict over the window. */
  add(at: number, rss: number): LeakVerdict {
    const { times, values } = this;
    const newestAt = times[times.length - 1];
    if (newestAt === undefined || at > newestAt) {
      times.push(at);
      values.push(rss);
      addPoint(this.whole, at, rss);
      addPoint(this.newest, at, rss);
    }
    const cutoff = at - this.settings.windowMs;
    for (; this.start < times.length && times[this.start]! < cutoff; this.start++) removePoint(this.whole, times[this.start]!, values[this.start]!);
    // The newest half lies inside the window, so what leaves it has left the window's half first.
    const recentFrom = times[times.length - 1]! - this.settings.windowMs / 2;
    for (; this.recentStart < times.length && times[this.recentStart]! < recentFrom; this.recentStart++) {
      removePoint(this.newest, times[this.recentStart]!, values[this.recentStart]!);
    }
    if (this.start >= 1024 || (this.start > 0 && this.start * 2 >= times.length)) this.compact();
    return this.verdict();
  }

  reset(): void {
    this.times = [];
    this.values = [];
    this.start = this.recentStart = 0;
    this.whole = emptySums();
    this.newest = emptySums();
  }

  verdict(): LeakVerdict {
    const { windowMs, minSlopeBytesPerMinute, minR2, minCoverage } = this.settings;
    const { times, start } = this;
    const end = times.length;
    const points = end - start;
    const spanMs = points > 0 ? times[end - 1]! - times[start]! : 0;
    const fit = fitSums(this.whole);
    const slope = (fit?.slope ?? 0) * MINUTE;
    const r2 = fit?.r2 ?? 0;
    const recentSlope = (fitSums(this.newest)?.slope ?? 0) * MINUTE;
    const leaking =
      points >= 3 &&
      spanMs >= minCoverage * windowMs &&
      slope >= minSlopeBytesPerMinute &&
      r2 >= minR2 &&
      recentSlope >= minSlopeBytesPerMinute / 2;
    return {
      leaking,
      slopeBytesPerMinute: slope,
      growthMiBPerMinute: slope / MiB,
      r2,
      recentSlopeBytesPerMinute: recentSlope,
      points,
      spanMs,
    };
  }

  /**
   * Cuts off the samples that left the window, and sums both ranges again from scratch: the
   * running sums take each removed sample back out, and this bounds the rounding that leaves.
   */
  private compact(): void {
    const { start } = this;
    this.times.splice(0, start);
    this.values.splice(0, start);
    this.start = 0;
    this.recentStart -= start;
    this.whole = emptySums();
    this.newest = emptySums();
    for (let i = 0; i < this.times.length; i++) {
      addPoint(this.whole, this.times[i]!, this.values[i]!);
      if (i >= this.recentStart) addPoint(this.newest, this.times[i]!, this.values[i]!);
    }
  }
}
