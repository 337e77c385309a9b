import { leakSettingsSchema, type LeakSettings, type LeakVerdict } from '../../../shared/monitoring';
import { addPoint, emptySums, fitSumsInto, removePoint, type LinearFit } from './linearFit';

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
  /** The lines judge() fitted last (slope 0 and r2 0 where there is none), filled in place. */
  private readonly fits = { whole: { slope: 0, intercept: 0, r2: 0 } as LinearFit, newest: { slope: 0, intercept: 0, r2: 0 } as LinearFit };

  constructor(settings: Partial<LeakSettings> = {}) {
    this.settings = { ...DEFAULT_LEAK_SETTINGS, ...settings };
  }

  /** Adds one RSS sample (bytes at epoch ms) and returns the verdict over the window. */
  add(at: number, rss: number): LeakVerdict {
    this.push(at, rss);
    return this.verdict();
  }

  /**
   * Adds one RSS sample (bytes at epoch ms) and says whether the window is flagged now, as
   * verdict().leaking would, without building the verdict (once per subject per tick).
   */
  push(at: number, rss: number): boolean {
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
    return this.judge();
  }

  reset(): void {
    this.times = [];
    this.values = [];
    this.start = this.recentStart = 0;
    this.whole = emptySums();
    this.newest = emptySums();
  }

  verdict(): LeakVerdict {
    const leaking = this.judge();
    const { whole, newest } = this.fits;
    const slope = whole.slope * MINUTE;
    return {
      leaking,
      slopeBytesPerMinute: slope,
      growthMiBPerMinute: slope / MiB,
      r2: whole.r2,
      recentSlopeBytesPerMinute: newest.slope * MINUTE,
      points: this.times.length - this.start,
      spanMs: this.spanMs(),
    };
  }

  private spanMs(): number {
    const { times, start } = this;
    return times.length > start ? times[times.length - 1]! - times[start]! : 0;
  }

  /** Whether the window is flagged; leaves both fitted lines in `fits` for verdict(). */
  private judge(): boolean {
    const { windowMs, minSlopeBytesPerMinute, minR2, minCoverage } = this.settings;
    const { whole, newest } = this.fits;
    if (!fitSumsInto(this.whole, whole)) whole.slope = whole.r2 = 0;
    if (!fitSumsInto(this.newest, newest)) newest.slope = newest.r2 = 0;
    return (
      this.times.length - this.start >= 3 &&
      this.spanMs() >= minCoverage * windowMs &&
      whole.slope * MINUTE >= minSlopeBytesPerMinute &&
      whole.r2 >= minR2 &&
      newest.slope * MINUTE >= minSlopeBytesPerMinute / 2
    );
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
