import { describe, expect, it } from 'vitest';
import type { ProcEntry } from '../../../electron/engine/monitor/procStat';
import { computeTreeUsage, snapshotOf, type ProcSnapshot } from '../../../electron/engine/monitor/treeUsage';

const HZ = 100;

interface Proc {
  pid: number;
  ppid: number;
  start: number;
  ticks: number;
  childTicks?: number;
  rss?: number;
  pgid?: number;
}

function entry(p: Proc): ProcEntry {
  return {
    pid: p.pid,
    comm: `p${p.pid}`,
    state: 'S',
    ppid: p.ppid,
    pgid: p.pgid ?? p.pid,
    sid: 1,
    startTime: p.start,
    cpuTicks: p.ticks,
    childCpuTicks: p.childTicks ?? 0,
    threads: 1,
    rss: p.rss ?? 0,
  };
}

/** A scan taken `second` seconds after boot. */
function scan(second: number, procs: Proc[]): ProcSnapshot {
  return snapshotOf({
    takenAt: second * 1000,
    uptimeTicks: second * HZ,
    clockTicks: HZ,
    processes: new Map(procs.map((p) => [p.pid, entry(p)])),
  });
}

const job = (pid: number) => new Map([['job', pid]]);

describe('computeTreeUsage', () => {
  it('sums RSS over the tree and reports cpu 0 without a previous scan', () => {
    const now = scan(10, [
      { pid: 100, ppid: 1, start: 500, ticks: 90, rss: 1000 },
      { pid: 101, ppid: 100, start: 510, ticks: 5, childTicks: 3, rss: 200, pgid: 100 },
      { pid: 200, ppid: 1, start: 520, ticks: 7, rss: 30 },
    ]);
    // With the interval (none yet), the tree's lifetime CPU, own and reaped ((90 + 5 + 3) ticks at 100 Hz), and its process count.
    expect(computeTreeUsage(now, undefined, job(100)).get('job')).toEqual({ cpu: 0, rss: 1200, pids: [100, 101], intervalSeconds: 0, lifetimeCpuSeconds: 0.98, processes: 2 });
  });

  it('divides the tree\'s ticks since the previous scan by the elapsed wall time', () => {
    const before = scan(10, [
      { pid: 100, ppid: 1, start: 500, ticks: 100 },
      { pid: 101, ppid: 100, start: 510, ticks: 100 },
    ]);
    const now = scan(12, [
      { pid: 100, ppid: 1, start: 500, ticks: 300 },
      { pid: 101, ppid: 100, start: 510, ticks: 250 },
    ]);
    expect(computeTreeUsage(now, before, job(100)).get('job')?.cpu).toBeCloseTo(175);
  });

  it('counts a process born since the previous scan in full', () => {
    const before = scan(10, [{ pid: 100, ppid: 1, start: 500, ticks: 100 }]);
    const now = scan(11, [
      { pid: 100, ppid: 1, start: 500, ticks: 100 },
      { pid: 102, ppid: 100, start: 1050, ticks: 40 },
    ]);
    expect(computeTreeUsage(now, before, job(100)).get('job')?.cpu).toBeCloseTo(40);
  });

  it('does not take a reused pid for the old process', () => {
    const before = scan(10, [
      { pid: 100, ppid: 1, start: 500, ticks: 100 },
      { pid: 101, ppid: 100, start: 510, ticks: 5000 },
    ]);
    // 101 exited and was reaped by init's side (no cutime at 100); a new 101 appeared that the
    // previous scan could not see although it started before it (a race): its past is unknown.
    const now = scan(11, [
      { pid: 100, ppid: 1, start: 500, ticks: 110 },
      { pid: 101, ppid: 100, start: 990, ticks: 7 },
    ]);
    const usage = computeTreeUsage(now, before, job(100)).get('job');
    expect(usage?.cpu).toBeGreaterThanOrEqual(0);
    expect(usage?.cpu).toBeLessThanOrEqual(10);
  });

  it('counts a reaped child\'s last interval once, through the parent\'s cutime', () => {
    const before = scan(10, [
      { pid: 100, ppid: 1, start: 500, ticks: 100 },
      { pid: 101, ppid: 100, start: 510, ticks: 50 },
    ]);
    // 101 used 30 more ticks, exited and was reaped: its lifetime 80 moved into 100's cutime.
    const now = scan(11, [{ pid: 100, ppid: 1, start: 500, ticks: 110, childTicks: 80 }]);
    expect(computeTreeUsage(now, before, job(100)).get('job')?.cpu).toBeCloseTo(40);
  });

  it('handles a chain of reaped descendants', () => {
    const before = scan(10, [
      { pid: 100, ppid: 1, start: 500, ticks: 0 },
      { pid: 101, ppid: 100, start: 510, ticks: 20 },
      { pid: 102, ppid: 101, start: 520, ticks: 30 },
    ]);
    // 102 ends at 40 and is reaped by 101; 101 ends at 25 (+40 reaped) and is reaped by 100.
    const now = scan(11, [{ pid: 100, ppid: 1, start: 500, ticks: 0, childTicks: 65 }]);
    expect(computeTreeUsage(now, before, job(100)).get('job')?.cpu).toBeCloseTo(15);
  });

  it('leaves out jobs whose root is gone', () => {
    const now = scan(10, [{ pid: 100, ppid: 1, start: 500, ticks: 0 }]);
    const usage = computeTreeUsage(now, undefined, new Map([['alive', 100], ['gone', 4242]]));
    expect([...usage.keys()]).toEqual(['alive']);
  });
});
