import { describe, expect, it } from 'vitest';
import { RunHistory } from '../../../electron/engine/monitor/runHistory';
import type { RunSample } from '../../../electron/engine/monitor/sampleAggregate';
import { SAMPLES_CSV_HEADER, samplesToCsv } from '../../../electron/engine/monitor/samplesCsv';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);
const HOUR = 3_600_000;

function sampleAt(second: number): RunSample {
  return { at: T0 + second * 1000, cpu: (second % 100) + 0.25, rss: 1_000_000 + second * 10, processes: 1 + (second % 3) };
}

function fill(history: RunHistory, seconds: number): RunSample[] {
  const samples: RunSample[] = [];
  for (let s = 0; s < seconds; s++) {
    const sample = sampleAt(s);
    samples.push(sample);
    history.add(sample);
  }
  return samples;
}

describe('RunHistory', () => {
  it('keeps every sample of a short run', () => {
    const history = new RunHistory();
    const samples = fill(history, 120);
    expect(history.rows()).toEqual(samples);
    expect(history.query('run', 300)).toEqual(samples);
  });

  it('stays bounded over a day at 1 Hz: full rate for the recent minutes, buckets before', () => {
    const history = new RunHistory({ fullRateMs: 10 * 60_000, maxBuckets: 1200 });
    const samples = fill(history, 24 * 3600);
    expect(history.size).toBeLessThanOrEqual(601 + 1200);
    const rows = history.rows();
    // The last ten minutes one by one, exactly (601 samples: both ends included).
    expect(rows.slice(-601)).toEqual(samples.slice(-601));
    // Before that, averages that keep their extremes, reaching back to the run's first seconds.
    const older = rows.slice(0, -601);
    expect(older[0]!.at).toBeLessThan(T0 + history.currentBucketMs);
    for (const row of older.slice(0, -1)) {
      expect(row.cpuMin).toBeLessThanOrEqual(row.cpu);
      expect(row.cpuMax).toBeGreaterThanOrEqual(row.cpu);
      expect(row.cpuMax! - row.cpuMin!).toBeGreaterThan(0);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.at).toBeGreaterThan(rows[i - 1]!.at);
  });

  it('gives the newest samples one by one, exactly, after hours of samples were cut off the full-rate front', () => {
    const history = new RunHistory({ fullRateMs: 60_000 });
    const samples = fill(history, 3 * 3600 + 7);
    expect(history.latest(5)).toEqual(samples.slice(-5));
    // At most the full-rate window (61 samples: both ends included), however many are asked for.
    expect(history.latest(10_000)).toEqual(samples.slice(-61));
  });

  it('answers each range with at most maxPoints points covering that range', () => {
    const history = new RunHistory();
    const samples = fill(history, 3 * 3600);
    const last = samples.at(-1)!.at;
    for (const [range, ms] of [['1m', 60_000], ['15m', 900_000], ['1h', HOUR], ['run', 3 * HOUR]] as const) {
      const points = history.query(range, 300);
      expect(points.length, range).toBeLessThanOrEqual(300);
      // The newest point is the mean of the newest slot: within one slot (range / 300) of the end.
      expect(points.at(-1)!.at, range).toBeGreaterThanOrEqual(last - ms / 300);
      expect(points[0]!.at, range).toBeGreaterThanOrEqual(last - ms);
      expect(points[0]!.at, range).toBeLessThan(last - ms * 0.95);
    }
    expect(history.query('1m', 300)).toEqual(samples.slice(-61));
  });

  it('keeps a short spike visible in a reduced range through cpuMax', () => {
    const history = new RunHistory();
    for (let s = 0; s < 3000; s++) history.add({ at: T0 + s * 1000, cpu: s === 1234 ? 400 : 5, rss: 1, processes: 1 });
    const points = history.query('run', 100);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(Math.max(...points.map((p) => p.cpuMax ?? p.cpu))).toBe(400);
  });

  it('ignores a sample older than the newest', () => {
    const history = new RunHistory();
    history.add(sampleAt(5));
    history.add(sampleAt(4));
    expect(history.size).toBe(1);
  });
});

describe('samplesToCsv', () => {
  it('writes one line per sample under the fixed header, matching the samples', () => {
    const history = new RunHistory();
    const samples = fill(history, 50);
    const csv = samplesToCsv(history.rows());
    const [header, ...lines] = csv.trimEnd().split('\n');
    expect(header).toBe(SAMPLES_CSV_HEADER);
    expect(lines).toHaveLength(samples.length);
    lines.forEach((line, i) => {
      const [iso, epoch, cpu, rss, processes] = line.split(',');
      const sample = samples[i]!;
      expect(iso).toBe(new Date(sample.at).toISOString());
      expect(Number(epoch)).toBe(sample.at);
      expect(Number(cpu)).toBe(sample.cpu);
      expect(Number(rss)).toBe(sample.rss);
      expect(Number(processes)).toBe(sample.processes);
    });
    expect(lines[0]).toBe('2025-01-02T03:04:05.000Z,1735787045000,0.25,1000000,1');
  });

  it('writes bucket averages for the part of a run older than the full-rate window', () => {
    const history = new RunHistory({ fullRateMs: 10_000, bucketMs: 5000 });
    const samples = fill(history, 30);
    const lines = samplesToCsv(history.rows()).trimEnd().split('\n').slice(1);
    // Buckets of 5 s from the first sample: 0–4, 5–9, 10–14, 15–18; then seconds 19–29 one by one.
    expect(lines).toHaveLength(4 + 11);
    const first = samples.slice(0, 5);
    const mean = (pick: (s: RunSample) => number) => first.reduce((sum, s) => sum + pick(s), 0) / first.length;
    expect(lines[0]).toBe(`${new Date(T0 + 2000).toISOString()},${T0 + 2000},${mean((s) => s.cpu)},${mean((s) => s.rss)},${mean((s) => s.processes)}`);
    expect(lines[4]).toBe(`${new Date(T0 + 19_000).toISOString()},${T0 + 19_000},19.25,1000190,2`);
  });
});
