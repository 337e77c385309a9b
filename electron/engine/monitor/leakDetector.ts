import { leakSettingsSchema, type LeakSettings, type LeakVerdict } from '../../../shared/monitoring';
import { fitLine } from './linearFit';

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
  private times: number[] = [];
  private values: number[] = [];

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
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < cutoff) drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      this.values.splice(0, drop);
    }
    return this.verdict();
  }

  reset(): void {
    this.times = [];
    this.values = [];
  }

  verdict(): LeakVerdict {
    const { windowMs, minSlopeBytesPerMinute, minR2, minCoverage } = this.settings;
    const points = this.times.length;
    const spanMs = points > 0 ? this.times[points - 1]! - this.times[0]! : 0;
    const fit = fitLine(this.times, this.values);
    const slope = (fit?.slope ?? 0) * MINUTE;
    const r2 = fit?.r2 ?? 0;
    const recentFrom = (this.times[points - 1] ?? 0) - windowMs / 2;
    const start = this.times.findIndex((t) => t >= recentFrom);
    const recent = start < 0 ? undefined : fitLine(this.times.slice(start), this.values.slice(start));
    const recentSlope = (recent?.slope ?? 0) * MINUTE;
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
