import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNice } from '../../../electron/engine/monitor/procTable';
import { parseProcStat, parseProcStatBytes } from '../../../electron/engine/monitor/procStat';

// Field layout as printed by fs/proc/array.c (Linux 6.x), 52 fields.
function statLine(pid: number, comm: string): string {
  return (
    `${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 120 0 0 0 ` +
    `37 5 11 2 20 0 3 0 4321 12345678 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n`
  );
}

describe('parseProcStat', () => {
  it('reads the fields the monitor needs', () => {
    expect(parseProcStat(statLine(4242, 'sleep'), 4096)).toEqual({
      pid: 4242,
      comm: 'sleep',
      state: 'S',
      ppid: 1,
      pgid: 4242,
      sid: 4242,
      startTime: 4321,
      cpuTicks: 42,
      childCpuTicks: 13,
      threads: 3,
      rss: 250 * 4096,
    });
  });

  it('splits at the last ")" so a comm with spaces and parentheses is kept whole', () => {
    const entry = parseProcStat(statLine(7, 'a b) c'), 4096);
    expect(entry?.comm).toBe('a b) c');
    expect(entry?.state).toBe('S');
    expect(entry?.ppid).toBe(1);
    expect(entry?.startTime).toBe(4321);
    expect(parseProcStat(statLine(8, ') ) S 9 (('), 4096)?.comm).toBe(') ) S 9 ((');
    expect(parseProcStat(statLine(9, ''), 4096)?.comm).toBe('');
  });

  it('rejects text that is not a stat line', () => {
    expect(parseProcStat('', 4096)).toBeUndefined();
    expect(parseProcStat('hello world', 4096)).toBeUndefined();
    expect(parseProcStat('12 (cut) S 1 12 12 0', 4096)).toBeUndefined();
    expect(parseProcStat(statLine(12, 'x').replace('12', 'x1'), 4096)).toBeUndefined();
  });
});

describe('parseProcStatBytes', () => {
  const fromBytes = (text: string, extras?: { nice: number }) => {
    const bytes = Buffer.from(text);
    return parseProcStatBytes(bytes, bytes.length, 4096, extras);
  };

  it('gives what parseProcStat gives, for made-up lines and every real process', () => {
    for (const line of [statLine(4242, 'sleep'), statLine(7, 'a b) c'), statLine(8, ') ) S 9 (('), statLine(9, ''), statLine(10, 'ünï')]) {
      expect(fromBytes(line)).toEqual(parseProcStat(line, 4096));
    }
    for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      let text: string;
      try {
        text = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue;
      }
      const extras = { nice: 99 };
      expect(fromBytes(text, extras)).toEqual(parseProcStat(text, 4096));
      expect(extras.nice).toBe(parseNice(text));
    }
  });

  it('rejects what parseProcStat rejects', () => {
    for (const text of ['', 'hello world', '12 (cut) S 1 12 12 0', statLine(12, 'x').replace('12', 'x1'), statLine(13, 'x').replace(' 4321 ', ' 43x1 ')]) {
      expect(fromBytes(text)).toBeUndefined();
    }
  });

  it('returns the previous entry itself when the line reads the same, a new one when anything moved', () => {
    const line = statLine(4242, 'sleep');
    const bytes = Buffer.from(line);
    const before = parseProcStatBytes(bytes, bytes.length, 4096)!;
    expect(parseProcStatBytes(bytes, bytes.length, 4096, undefined, before)).toBe(before);
    const busier = Buffer.from(line.replace(' 37 5 11 2 ', ' 38 5 11 2 '));
    const after = parseProcStatBytes(busier, busier.length, 4096, undefined, before)!;
    expect(after).not.toBe(before);
    expect(after.cpuTicks).toBe(43);
    const renamed = Buffer.from(statLine(4242, 'sleeq'));
    expect(parseProcStatBytes(renamed, renamed.length, 4096, undefined, before)?.comm).toBe('sleeq');
  });
});
