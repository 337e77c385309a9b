import { describe, expect, it } from 'vitest';
import { formatByteRate, formatBytes, formatCoreList, formatDuration, formatPercent, formatPercentNumber, GIB, KIB, MIB } from '../../shared/format';

describe('formatBytes', () => {
  it('writes the largest binary unit the amount reaches, with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(117.737 * MIB)).toBe('118 MiB');
    expect(formatBytes(12.34 * MIB)).toBe('12.3 MiB');
    expect(formatBytes(3968 * KIB)).toBe('3.88 MiB');
    expect(formatBytes(1600 * 1000 * 1000)).toBe('1.49 GiB');
    expect(formatBytes(23.54 * GIB)).toBe('23.5 GiB');
    expect(formatBytes(2 * 1024 * GIB)).toBe('2 TiB');
  });

  it('drops trailing zeros, so an exact amount reads exactly', () => {
    expect(formatBytes(16 * MIB)).toBe('16 MiB');
    expect(formatBytes(256 * MIB)).toBe('256 MiB');
    expect(formatBytes(2 * GIB)).toBe('2 GiB');
    expect(formatBytes(1536 * MIB)).toBe('1.5 GiB');
    expect(formatBytes(1280 * MIB)).toBe('1.25 GiB');
    expect(formatBytes(30 * GIB)).toBe('30 GiB');
  });

  it('writes a whole number of MiB that GiB would round as the MiB an operator typed', () => {
    expect(formatBytes(1500 * MIB)).toBe('1500 MiB');
    expect(formatBytes(2000 * MIB)).toBe('2000 MiB');
    expect(formatBytes(9999 * MIB)).toBe('9999 MiB');
    // Beyond four digits, GiB again; and an amount that is not whole MiB is a measurement, not typed.
    expect(formatBytes(12_000 * MIB)).toBe('11.7 GiB');
    expect(formatBytes(1500 * MIB + 4096)).toBe('1.46 GiB');
  });

  it('never writes 1024 of a unit after rounding', () => {
    expect(formatBytes(1023.9 * KIB)).toBe('1 MiB');
    expect(formatBytes(1023.6)).toBe('1 KiB');
    expect(formatBytes(1024 * MIB - 1)).toBe('1 GiB');
  });

  it('reads every value the same way it was written, whatever the caller', () => {
    for (const mib of [1, 10, 100, 128, 256, 500, 512, 1000, 1024, 1500, 2048, 4096, 8192]) {
      const text = formatBytes(mib * MIB);
      const [number, unit] = text.split(' ');
      const scale = { MiB: MIB, GiB: GIB }[unit as 'MiB' | 'GiB'];
      expect(Number(number) * scale, text).toBe(mib * MIB);
    }
  });

  it('says plainly what it cannot read', () => {
    expect(formatBytes(-2 * MIB)).toBe('-2 MiB');
    expect(formatBytes(Number.NaN)).toBe('NaN B');
  });

  it('writes a rate with the same rule', () => {
    expect(formatByteRate(12.34 * MIB, 'min')).toBe('12.3 MiB/min');
  });
});

describe('formatPercent', () => {
  it('has one decimal below 100, none from 100 on, and no trailing zero', () => {
    expect(formatPercentNumber(0)).toBe('0');
    expect(formatPercentNumber(3.24)).toBe('3.2');
    expect(formatPercentNumber(50)).toBe('50');
    expect(formatPercentNumber(99.96)).toBe('100');
    expect(formatPercentNumber(250.4)).toBe('250');
    expect(formatPercent(12.5)).toBe('12.5 %');
    expect(formatPercent(200)).toBe('200 %');
  });
});

describe('formatDuration', () => {
  it('picks the unit that reads best, each taking over at two of it', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(300)).toBe('300 ms');
    expect(formatDuration(1000)).toBe('1 s');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(12_500)).toBe('12 s');
    expect(formatDuration(90_000)).toBe('90 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(600_000)).toBe('10 min');
    expect(formatDuration(3_600_000)).toBe('60 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    expect(formatDuration(3 * 3_600_000 + 20 * 60_000 + 59_000)).toBe('3 h 20 min');
    expect(formatDuration(36 * 3_600_000)).toBe('36 h');
    expect(formatDuration(76 * 3_600_000)).toBe('3 d 4 h');
  });

  it('never reads longer than the time was', () => {
    expect(formatDuration(1999)).toBe('1.9 s');
    expect(formatDuration(119_999)).toBe('119 s');
    expect(formatDuration(-5)).toBe('0 ms');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('forever');
  });
});

describe('formatCoreList', () => {
  it('writes the kernel list syntax', () => {
    expect(formatCoreList([3, 0, 1, 2, 6])).toBe('0-3,6');
    expect(formatCoreList([1])).toBe('1');
    expect(formatCoreList([0, 2, 2])).toBe('0,2');
    expect(formatCoreList([])).toBe('');
  });
});
