import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../../../electron/engine/monitor/procStat';

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
