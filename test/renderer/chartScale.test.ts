import { describe, expect, it } from 'vitest';
import { linearScale, nearestIndex, timeAxisLabels, timeTicks, valueTicks } from '../../renderer/src/components/charts/chartScale';
import { formatBytes } from '../../shared/format';

describe('valueTicks', () => {
  it('covers the maximum with round steps from zero', () => {
    expect(valueTicks(100, 4)).toEqual([0, 25, 50, 75, 100]);
    expect(valueTicks(87, 4)).toEqual([0, 25, 50, 75, 100]);
    expect(valueTicks(3.2, 3)).toEqual([0, 2, 4]);
  });

  it('steps in powers of 1024 for bytes', () => {
    const mib = 1024 ** 2;
    expect(valueTicks(300 * mib, 3, true)).toEqual([0, 100 * mib, 200 * mib, 300 * mib]);
    expect(valueTicks(1.5 * 1024 ** 3, 3, true)).toEqual([0, 0.5, 1, 1.5].map((g) => g * 1024 ** 3));
  });

  it('has a single zero tick when there is nothing to scale', () => {
    expect(valueTicks(0, 4)).toEqual([0]);
    expect(valueTicks(Number.NaN, 4)).toEqual([0]);
  });
});

describe('timeTicks', () => {
  const at = (text: string) => Date.parse(`${text}Z`);

  it('falls on round seconds and minutes of the local clock', () => {
    expect(timeTicks(at('2026-01-01T10:00:03'), at('2026-01-01T10:01:00'), 3, 0)).toEqual([at('2026-01-01T10:00:30'), at('2026-01-01T10:01:00')]);
    expect(timeTicks(at('2026-01-01T10:00:00'), at('2026-01-01T11:00:00'), 4, 0)).toEqual([at('2026-01-01T10:00:00'), at('2026-01-01T10:15:00'), at('2026-01-01T10:30:00'), at('2026-01-01T10:45:00'), at('2026-01-01T11:00:00')]);
  });

  it('rounds hours in a time zone half an hour off UTC', () => {
    // India: UTC+5:30, so getTimezoneOffset is -330 minutes; 14:00 local is 08:30 UTC.
    const ticks = timeTicks(at('2026-01-01T07:10:00'), at('2026-01-01T12:00:00'), 3, -330 * 60_000);
    expect(ticks).toEqual([at('2026-01-01T08:30:00'), at('2026-01-01T10:30:00')]);
  });

  it('never gives more ticks than asked', () => {
    for (const span of [5_000, 90_000, 3_600_000, 86_400_000 * 3]) {
      expect(timeTicks(0, span, 6, 0).length).toBeLessThanOrEqual(7);
    }
  });
});

describe('nearestIndex and linearScale', () => {
  it('finds the nearest time', () => {
    const times = [0, 10, 20, 30];
    expect(nearestIndex(times, -5)).toBe(0);
    expect(nearestIndex(times, 14)).toBe(1);
    expect(nearestIndex(times, 16)).toBe(2);
    expect(nearestIndex(times, 99)).toBe(3);
    expect(nearestIndex([], 3)).toBe(-1);
  });

  it('maps a domain onto a pixel range, inverted for a y axis', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(25)).toBe(150);
    expect(y.domain).toEqual([0, 100]);
  });
});

describe('byte tick labels (formatBytes, which every chart axis uses)', () => {
  it('drops only the zeros after the decimal point', () => {
    expect(formatBytes(150 * 1024 ** 2)).toBe('150 MiB');
    expect(formatBytes(30 * 1024 ** 3)).toBe('30 GiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(0)).toBe('0 B');
  });
});

describe('timeAxisLabels', () => {
  // A label's extent as the chart draws it, at the width the layout assumes per character.
  const extent = (label: { x: number; text: string; anchor: string }) => {
    const width = label.text.length * 6.5;
    const start = label.anchor === 'start' ? label.x : label.anchor === 'end' ? label.x - width : label.x - width / 2;
    return [start, start + width] as const;
  };
  const clock = (at: number) => new Date(at).toISOString().slice(11, 19) + ' PM';

  it('never lets two labels overlap, even where one is anchored at an edge', () => {
    // The first round tick sits on the left edge: anchored there, its label reaches 72 px in,
    // nearly to the centred label one 80 px step further.
    const from = Date.UTC(2030, 0, 1, 12, 0, 0);
    const left = 64;
    const x = linearScale([from, from + 25_000], [left, left + 400]);
    const labels = timeAxisLabels(x, [left, left + 400], 5, clock);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels[0]).toMatchObject({ at: from, anchor: 'start' });
    for (let i = 1; i < labels.length; i++) expect(extent(labels[i]!)[0]).toBeGreaterThan(extent(labels[i - 1]!)[1]);
    for (const label of labels) {
      const [start, end] = extent(label);
      expect(start).toBeGreaterThanOrEqual(left);
      expect(end).toBeLessThanOrEqual(left + 400);
    }
  });

  it('keeps every round tick where there is room', () => {
    const from = Date.UTC(2030, 0, 1, 12, 0, 2);
    const x = linearScale([from, from + 60_000], [0, 1000]);
    const labels = timeAxisLabels(x, [0, 1000], 10, clock);
    expect(labels.map((label) => label.at)).toEqual(timeTicks(from, from + 60_000, 10));
  });
});
