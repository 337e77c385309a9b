import { describe, expect, it } from 'vitest';
import { linearScale, nearestIndex, timeTicks, valueTicks } from '../../renderer/src/components/charts/chartScale';
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
