import { describe, expect, it } from 'vitest';
import { LeakDetector } from '../../../electron/engine/monitor/leakDetector';
import { addPoint, emptySums, fitLine, fitSums } from '../../../electron/engine/monitor/linearFit';

const MiB = 1024 * 1024;
const T0 = 1_700_000_000_000;

/** Feeds rss(t) sampled every stepMs for durationMs and returns the last verdict. */
function feed(detector: LeakDetector, rss: (seconds: number) => number, durationMs: number, stepMs = 1000) {
  let verdict = detector.verdict();
  for (let t = 0; t <= durationMs; t += stepMs) verdict = detector.add(T0 + t, rss(t / 1000));
  return verdict;
}

/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 78.233) * 0.5;

describe('fitLine', () => {
  it('finds slope, intercept and R² = 1 of an exact line, even at epoch-millisecond x', () => {
    const xs = [0, 1, 2, 3].map((x) => T0 + x * 1000);
    const fit = fitLine(xs, xs.map((x) => 5 + 2 * (x - T0)));
    expect(fit?.slope).toBeCloseTo(2, 9);
    expect(fit?.r2).toBeCloseTo(1, 9);
  });

  it('has R² 0 for a flat series and no fit for a single x', () => {
    expect(fitLine([1, 2, 3], [7, 7, 7])?.r2).toBe(0);
    expect(fitLine([1, 1], [1, 2])).toBeUndefined();
  });
});

describe('fitSums (one pass, shifted)', () => {
  it('matches the two-pass fit on noisy epoch-millisecond series of large byte counts', () => {
    const xs = Array.from({ length: 600 }, (_, i) => T0 + i * 1000 + (i % 7));
    for (const ys of [
      xs.map((x, i) => 4e9 + (x - T0) * 3 + noise(i) * 5 * MiB),
      xs.map(() => 7e9),
      xs.map((_, i) => 2e9 + noise(i) * 10),
    ]) {
      const sums = emptySums();
      xs.forEach((x, i) => addPoint(sums, x, ys[i]!));
      const one = fitSums(sums)!;
      const two = fitLine(xs, ys)!;
      expect(one.slope).toBeCloseTo(two.slope, 6);
      expect(one.intercept / two.intercept).toBeCloseTo(1, 9);
      expect(one.r2).toBeCloseTo(two.r2, 6);
    }
  });

  it('has no fit for a single x and R² 0 for a flat series', () => {
    const sums = emptySums();
    addPoint(sums, 5, 1);
    addPoint(sums, 5, 2);
    expect(fitSums(sums)).toBeUndefined();
    const flat = emptySums();
    for (const x of [1, 2, 3]) addPoint(flat, x, 7);
    expect(fitSums(flat)?.r2).toBe(0);
  });
});

describe('LeakDetector (synthetic series)', () => {
  const settings = { windowMs: 600_000, minSlopeBytesPerMinute: MiB, minR2: 0.8 };

  it('flags steady growth with noise and reports MiB/min', () => {
    const detector = new LeakDetector(settings);
    const verdict = feed(detector, (s) => 200 * MiB + (s / 60) * 5 * MiB + noise(s) * 2 * MiB, 700_000);
    expect(verdict.leaking).toBe(true);
    expect(verdict.growthMiBPerMinute).toBeGreaterThan(4.5);
    expect(verdict.growthMiBPerMinute).toBeLessThan(5.5);
    expect(verdict.r2).toBeGreaterThan(0.9);
    expect(verdict.points).toBe(601);
  });

  it('push (the per-tick call, no verdict built) says at every sample what the verdict says', () => {
    const detector = new LeakDetector(settings);
    const flags: boolean[] = [];
    // Grows for 15 minutes (flagged once the window is covered), then plateaus (the flag drops).
    for (let t = 0; t <= 1_500_000; t += 1000) {
      const s = Math.min(t, 900_000) / 1000;
      const leaking = detector.push(T0 + t, 200 * MiB + (s / 60) * 5 * MiB + noise(t) * MiB);
      expect(leaking).toBe(detector.verdict().leaking);
      flags.push(leaking);
    }
    expect(flags.includes(true)).toBe(true);
    expect(flags.at(-1)).toBe(false);
  });

  it('does not judge before the window is covered', () => {
    const detector = new LeakDetector(settings);
    const verdict = feed(detector, (s) => (s / 60) * 50 * MiB, 300_000);
    expect(verdict.slopeBytesPerMinute).toBeGreaterThan(45 * MiB);
    expect(verdict.leaking).toBe(false);
  });

  it('does not flag a process that grew then plateaued inside the window, even where the line fits at R² ≥ 0.8', () => {
    // The plateau is recognised once it fills the newest half of the window.
    for (const rampShare of [0.25, 0.4, 0.5]) {
      const detector = new LeakDetector(settings);
      const rampSeconds = 600 * rampShare;
      const verdict = feed(detector, (s) => 100 * MiB + Math.min(s, rampSeconds) * 0.5 * MiB, 600_000);
      expect(verdict.slopeBytesPerMinute).toBeGreaterThan(MiB);
      expect(verdict.recentSlopeBytesPerMinute).toBeLessThan(MiB / 2);
      expect(verdict.leaking, `ramp over ${rampShare * 100} % of the window`).toBe(false);
      if (rampShare === 0.5) expect(verdict.r2).toBeGreaterThanOrEqual(0.79);
    }
  });

  it('does not flag flat noisy memory, nor growth below the slope threshold', () => {
    expect(feed(new LeakDetector(settings), (s) => 300 * MiB + noise(s) * 8 * MiB, 700_000).leaking).toBe(false);
    expect(feed(new LeakDetector(settings), (s) => 300 * MiB + (s / 60) * 0.2 * MiB, 700_000).leaking).toBe(false);
  });

  it('does not flag growth too noisy to be a trend (R² below the threshold)', () => {
    const verdict = feed(new LeakDetector(settings), (s) => 300 * MiB + (s / 60) * 1.5 * MiB + noise(s) * 60 * MiB, 700_000);
    expect(verdict.r2).toBeLessThan(0.8);
    expect(verdict.leaking).toBe(false);
  });

  it('keeps its running sums true to a fit of the window, over hours of samples (compactions, gaps, steps)', () => {
    const detector = new LeakDetector(settings);
    const times: number[] = [];
    const values: number[] = [];
    let at = T0;
    for (let i = 0; i < 4000; i++) {
      at += i === 2500 ? 900_000 : 1000 + (i % 3);
      const rss = 300 * MiB + (i > 1800 ? 80 * MiB : 0) + i * 4096 + noise(i) * 3 * MiB;
      const verdict = detector.add(at, rss);
      times.push(at);
      values.push(rss);
      if (i % 97 !== 0 && i !== 2500) continue;
      const inWindow = times.map((t, k) => [t, values[k]!] as const).filter(([t]) => t >= at - settings.windowMs);
      const fit = fitLine(inWindow.map(([t]) => t), inWindow.map(([, v]) => v));
      const recent = inWindow.filter(([t]) => t >= at - settings.windowMs / 2);
      const recentFit = fitLine(recent.map(([t]) => t), recent.map(([, v]) => v));
      expect(verdict.points).toBe(inWindow.length);
      expect(verdict.slopeBytesPerMinute).toBeCloseTo((fit?.slope ?? 0) * 60_000, 3);
      expect(verdict.r2).toBeCloseTo(fit?.r2 ?? 0, 9);
      expect(verdict.recentSlopeBytesPerMinute).toBeCloseTo((recentFit?.slope ?? 0) * 60_000, 3);
    }
  });

  it('clears once a leak stops and the window has slid past the growth', () => {
    const detector = new LeakDetector({ ...settings, windowMs: 60_000 });
    expect(feed(detector, (s) => (s / 60) * 10 * MiB, 70_000).leaking).toBe(true);
    let verdict = detector.verdict();
    for (let t = 71_000; t <= 140_000; t += 1000) verdict = detector.add(T0 + t, 12 * MiB);
    expect(verdict.leaking).toBe(false);
  });
});
