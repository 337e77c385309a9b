import { leakSettingsSchema, type LeakSettings, type LeakVerdict } from '../../../shared/monitoring';
import { addPoint, emptySums, fitSums } from './linearFit';

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
  private readonly whole = emptySums();
  private readonly newest = emptySums();

  constructor(settings: Partial<LeakSettings> = {}) {
    this.settings = { ...DEFAULT_LEAK_SETTINGS, ...settings };
  }

  /** Adds one RSS sample (bytes at epoch ms) and returns the verdict over the window. */
  add(at: number, rss: number): LeakVerdict {
    const newest = this.times[this.times.length - 1];
    if (newest === undefined || at > newest) {
      this.times.push(at);
      this.values.push(rss);
    }
    const cutoff = at - this.settings.windowMs;
    while (this.start < this.times.length && this.times[this.start]! < cutoff) this.start++;
    if (this.start >= 1024 || (this.start > 0 && this.start * 2 >= this.times.length)) {
      this.times.splice(0, this.start);
      this.values.splice(0, this.start);
      this.start = 0;
    }
    return this.verdict();
  }

  reset(): void {
    this.times = [];
    this.values = [];
    this.start = 0;
  }

  verdict(): LeakVerdict {
    const { windowMs, minSlopeBytesPerMinute, minR2, minCoverage } = this.settings;
    const { times, values, start } = this;
    const end = times.length;
    const points = end - start;
    const spanMs = points > 0 ? times[end - 1]! - times[start]! : 0;
    // Both fits (the window, and its newest half) from one pass over the samples.
    const recentFrom = (times[end - 1] ?? 0) - windowMs / 2;
    const whole = this.whole;
    const newest = this.newest;
    whole.n = newest.n = 0;
    for (let i = start; i < end; i++) {
      addPoint(whole, times[i]!, values[i]!);
      if (times[i]! >= recentFrom) addPoint(newest, times[i]!, values[i]!);
    }
    const fit = fitSums(whole);
    const slope = (fit?.slope ?? 0) * MINUTE;
    const r2 = fit?.r2 ?? 0;
    const recentSlope = (fitSums(newest)?.slope ?? 0) * MINUTE;
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
}
