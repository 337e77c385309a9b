import { describe, expect, it } from 'vitest';
import {
  coresSchema,
  durationTextSchema,
  formatCores,
  formatDurationText,
  formatSizeText,
  parseCores,
  parseDuration,
  parseSize,
  sizeTextSchema,
} from '../../../shared/config/units';
import { closestWord } from '../../../electron/engine/config/didYouMean';

describe('durations in operator words', () => {
  it('reads a number with a unit, and parts of several units', () => {
    expect(['500ms', '5s', '2m', '2min', '1h', '1d', '1h30m', '1.5s', '0s'].map(parseDuration)).toEqual([500, 5000, 120_000, 120_000, 3_600_000, 86_400_000, 5_400_000, 1500, 0]);
  });

  it('refuses a bare number or an unknown unit', () => {
    for (const bad of ['5', '5 s', '5sec', 's', '-1s', '1h-30m', '']) expect(durationTextSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('prints the largest unit that divides exactly, which reads back the same', () => {
    expect([90_000, 5_400_000, 1500, 86_400_000, 0, 0.5].map(formatDurationText)).toEqual(['90s', '90m', '1500ms', '1d', '0ms', '0.5ms']);
    for (const ms of [1, 999, 1000, 61_000, 3_600_000, 7 * 86_400_000, 123_456_789]) expect(parseDuration(formatDurationText(ms))).toBe(ms);
  });
});

describe('sizes in operator words', () => {
  it('reads every unit as a power of 1024, with or without iB', () => {
    expect(['512MiB', '2G', '2GB', '2Gi', '1.5GiB', '64K', '100B', '1 TiB', '3m'].map(parseSize)).toEqual([512 * 1024 ** 2, 2 * 1024 ** 3, 2 * 1024 ** 3, 2 * 1024 ** 3, 1.5 * 1024 ** 3, 64 * 1024, 100, 1024 ** 4, 3 * 1024 ** 2]);
  });

  it('refuses a bare number or an unknown unit', () => {
    for (const bad of ['512', '12XB', 'MiB', '2 GiBs', '-1G']) expect(sizeTextSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('prints the largest exact binary unit', () => {
    expect([512 * 1024 ** 2, 1536 * 1024 ** 2, 100, 2 * 1024 ** 4].map(formatSizeText)).toEqual(['512MiB', '1536MiB', '100B', '2TiB']);
  });
});

describe('core lists', () => {
  it('reads the kernel syntax, numbers and lists, keeping the order written', () => {
    expect(parseCores('0,1')).toEqual([0, 1]);
    expect(parseCores('0-3,6')).toEqual([0, 1, 2, 3, 6]);
    expect(parseCores(3)).toEqual([3]);
    expect(parseCores([2, '0-1', 2])).toEqual([2, 0, 1]);
  });

  it('refuses ranges that run down or beyond the last core', () => {
    for (const bad of ['3-1', '0-5000', '1,,2', 'a', [], -1]) expect(coresSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('prints ascending cores in the kernel syntax and others as a list', () => {
    expect(formatCores([0, 1, 2, 3, 6])).toBe('0-3,6');
    expect(formatCores([1, 0])).toEqual([1, 0]);
    for (const cores of [[0, 1], [5], [0, 2, 3, 4]]) expect(parseCores(formatCores(cores) as string)).toEqual(cores);
  });
});

describe('did you mean', () => {
  it('finds the near miss, whatever the separators and case', () => {
    expect(closestWord('readyness', ['readiness', 'liveness'])).toBe('readiness');
    expect(closestWord('max_restarts', ['maxRestarts', 'window'])).toBe('maxRestarts');
    expect(closestWord('comand', ['command', 'cwd'])).toBe('command');
    expect(closestWord('cwdd', ['cwd', 'env'])).toBe('cwd');
  });

  it('suggests nothing for a word that is no typo', () => {
    expect(closestWord('zzz', ['http', 'tcp', 'exec', 'log'])).toBeUndefined();
    expect(closestWord('replicas', ['command', 'cwd', 'env'])).toBeUndefined();
  });
});
