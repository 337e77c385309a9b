import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { allocatedBetween, parseLastPid, ProcScanner } from '../../../electron/engine/monitor/procScanner';
import { StatReader } from '../../../electron/engine/monitor/statReader';
import { computeTreeUsage } from '../../../electron/engine/monitor/treeUsage';
import { exited, killGroups, schedulerCpu, sleep, startGroup, startShell } from './processes';

let scanner: ProcScanner | undefined;

afterEach(async () => {
  scanner?.dispose();
  scanner = undefined;
  await killGroups();
});

const openFds = () => readdirSync('/proc/self/fd').length;

/** Scans until `ready` holds for the commands of the job's tree (children take a moment to appear). */
async function scanUntil(s: ProcScanner, root: number, ready: (comms: string[]) => boolean) {
  for (let i = 0; i < 200; i++) {
    const snapshot = s.scan({ roots: [root] });
    const pids = snapshot.trees.get(root);
    if (pids && ready(pids.map((pid) => snapshot.table.processes.get(pid)!.comm))) return snapshot;
    await sleep(20);
  }
  throw new Error('tree never became ready');
}

describe('ProcScanner', () => {
  it('reads only the sampled trees and new processes between full scans, and finds a new child on the next scan', async () => {
    const job = startShell('sleep 0.5; sleep 300 & wait');
    const outside = startGroup('sleep', ['300']);
    scanner = new ProcScanner({ fullEvery: 1000 });
    const first = await scanUntil(scanner, job.pid, (comms) => comms.length === 2);
    expect(first.table.fresh).toBeUndefined();
    const firstChild = first.trees.get(job.pid)![1]!;

    const second = scanner.scan({ roots: [job.pid] });
    expect(second.table.fresh?.has(job.pid)).toBe(true);
    // Known and outside every tree: carried over, not read.
    expect(second.table.fresh?.has(outside.pid)).toBe(false);
    expect(second.table.processes.get(outside.pid)).toBe(first.table.processes.get(outside.pid));

    // `sleep 0.5` ends, `sleep 300` starts: a pid no scan has seen, found by the next one.
    let third = second;
    // (A forked child shows as sh until it execs: it is read again at every scan, so exec is seen.)
    const settled = (snapshot: typeof second) => {
      const pid = snapshot.trees.get(job.pid)![1];
      return pid !== undefined && pid !== firstChild && snapshot.table.processes.get(pid)!.comm === 'sleep';
    };
    for (let i = 0; i < 100 && !settled(third); i++) {
      await sleep(20);
      third = scanner.scan({ roots: [job.pid] });
    }
    const child = third.trees.get(job.pid)![1]!;
    expect(child).not.toBe(firstChild);
    expect(third.table.processes.get(child)).toMatchObject({ comm: 'sleep', ppid: job.pid });
    expect(third.table.fresh?.has(child)).toBe(true);
  });

  it('reads every process when asked (the system list), with nice values', async () => {
    const outside = startGroup('sleep', ['300']);
    await sleep(50);
    scanner = new ProcScanner({ fullEvery: 1000 });
    scanner.scan({ roots: [] });
    const listed = scanner.scan({ roots: [], everything: true });
    expect(listed.table.fresh).toBeUndefined();
    expect(listed.table.nice?.get(outside.pid)).toBe(0);
    expect(scanner.scan({ roots: [] }).table.fresh?.has(outside.pid)).toBe(false);
  });

  it('re-reads everything every fullEvery scans', async () => {
    scanner = new ProcScanner({ fullEvery: 3 });
    const fresh = [0, 1, 2, 3, 4, 5].map(() => scanner!.scan({ roots: [] }).table.fresh === undefined);
    expect(fresh).toEqual([true, false, false, true, false, false]);
  });

  it('measures a busy child that appeared between scans like a full scan would', async () => {
    const job = startShell('sleep 0.2; yes > /dev/null & wait');
    scanner = new ProcScanner({ fullEvery: 1000 });
    const previous = await scanUntil(scanner, job.pid, (comms) => comms.join() === 'sh,yes');
    const pids = previous.trees.get(job.pid)!;
    const oracle = schedulerCpu(pids);
    await sleep(1000);
    const now = scanner.scan({ roots: [job.pid] });
    const truth = oracle.stop();
    const usage = computeTreeUsage(now, previous, new Map([['job', job.pid]])).get('job')!;
    expect(usage.pids).toEqual(pids);
    expect(Math.abs(usage.cpu - truth)).toBeLessThan(Math.max(8, truth * 0.08));
    if (truth > 80) expect(usage.cpu).toBeGreaterThan(70);
  });

  it("counts children reaped between scans once, through the parent's reaped time", async () => {
    // One busy child at a time, each living 0.2 s: most are born and reaped between two scans.
    const job = startShell('while :; do timeout 0.2 sh -c "while :; do :; done"; done');
    scanner = new ProcScanner({ fullEvery: 1000 });
    const roots = new Map([['job', job.pid]]);
    let previous = scanner.scan({ roots: [job.pid] });
    const figures: number[] = [];
    for (let i = 0; i < 4; i++) {
      await sleep(400);
      const current = scanner.scan({ roots: [job.pid] });
      figures.push(computeTreeUsage(current, previous, roots).get('job')!.cpu);
      previous = current;
    }
    const mean = figures.reduce((sum, cpu) => sum + cpu, 0) / figures.length;
    expect(mean).toBeGreaterThan(50);
    expect(mean).toBeLessThan(115);
  });

  it('keeps fds only for the sampled processes, closes those of processes gone, and all on dispose', async () => {
    const baseline = openFds();
    const jobs = Array.from({ length: 20 }, () => startGroup('sleep', ['300']));
    await sleep(100);
    scanner = new ProcScanner();
    scanner.scan({ roots: jobs.map((j) => j.pid) });
    scanner.scan({ roots: jobs.map((j) => j.pid) });
    expect(scanner.openFds).toBe(20);
    // + /proc/uptime and /proc/loadavg, kept open too.
    expect(openFds()).toBe(baseline + 22);

    const gone = jobs.slice(0, 10);
    await Promise.all(gone.map((j) => (process.kill(j.pid, 'SIGKILL'), exited(j))));
    const snapshot = scanner.scan({ roots: jobs.map((j) => j.pid) });
    for (const j of gone) expect(snapshot.table.processes.has(j.pid)).toBe(false);
    expect(snapshot.trees.size).toBe(10);
    expect(scanner.openFds).toBe(10);
    expect(openFds()).toBe(baseline + 12);

    scanner.dispose();
    expect(scanner.openFds).toBe(0);
    expect(openFds()).toBe(baseline);
  });

  it('keeps no more fds than its capacity and reads the rest by opening them', async () => {
    const jobs = Array.from({ length: 8 }, () => startGroup('sleep', ['300']));
    await sleep(100);
    scanner = new ProcScanner({ reader: new StatReader(3) });
    scanner.scan({ roots: jobs.map((j) => j.pid) });
    const snapshot = scanner.scan({ roots: jobs.map((j) => j.pid) });
    expect(scanner.openFds).toBe(3);
    for (const j of jobs) expect(snapshot.table.fresh?.has(j.pid)).toBe(true);
  });

  it('does not throw when roots are gone or vanish between scans', async () => {
    const job = startShell('sleep 300 & sleep 300 & wait');
    scanner = new ProcScanner({ fullEvery: 1000 });
    await scanUntil(scanner, job.pid, (comms) => comms.length === 3);
    await killGroups();
    const snapshot = scanner.scan({ roots: [job.pid, 2 ** 22 + 3] });
    expect(snapshot.trees.size).toBe(0);
    // The children may still be listed (zombies until init reaps them): their fds go at the next scan.
    await sleep(100);
    scanner.scan({ roots: [job.pid] });
    expect(scanner.openFds).toBe(0);
  });

  it('does not list /proc when no pid was handed out since the last scan, and still drops sampled processes that exited', async () => {
    const jobs = [startGroup('sleep', ['300']), startGroup('sleep', ['300'])];
    await sleep(100);
    let lastPid = 1000;
    scanner = new ProcScanner({ fullEvery: 1000, lastPid: () => lastPid });
    const roots = jobs.map((j) => j.pid);
    const first = scanner.scan({ roots });
    const later = startGroup('sleep', ['300']);
    await sleep(100);
    process.kill(jobs[0]!.pid, 'SIGKILL');
    await exited(jobs[0]!);
    // The counter did not move (as the kernel would say if nothing had started): /proc is not listed.
    const same = scanner.scan({ roots });
    expect(same.table.processes.has(later.pid)).toBe(false);
    expect(same.table.processes.has(jobs[0]!.pid)).toBe(false);
    expect([...same.trees.keys()]).toEqual([jobs[1]!.pid]);
    expect(same.table.processes.size).toBe(first.table.processes.size - 1);
    // Once it moves, /proc is listed again and the new process found.
    lastPid++;
    expect(scanner.scan({ roots }).table.processes.has(later.pid)).toBe(true);
  });

  it("keeps the last scan's forest and trees while no process comes, goes or moves", async () => {
    const job = startShell('sleep 300 & sleep 301 & wait');
    await sleep(100);
    let lastPid = 1000;
    scanner = new ProcScanner({ fullEvery: 1000, lastPid: () => lastPid });
    const first = await scanUntil(scanner, job.pid, (comms) => comms.length === 3);
    const second = scanner.scan({ roots: [job.pid] });
    expect(second.forest).toBe(first.forest);
    expect(second.trees.get(job.pid)).toEqual(first.trees.get(job.pid));
    // Another root: the trees are collected again.
    const other = startGroup('sleep', ['300']);
    await sleep(50);
    lastPid++;
    const third = scanner.scan({ roots: [job.pid, other.pid] });
    expect(third.trees.get(other.pid)).toEqual([other.pid]);
    // A process of a tree exits: the forest is built again without it.
    const [, child, stays] = third.trees.get(job.pid)!;
    process.kill(child!, 'SIGKILL');
    await sleep(100);
    const fourth = scanner.scan({ roots: [job.pid, other.pid] });
    expect(fourth.forest).not.toBe(third.forest);
    expect(fourth.trees.get(job.pid)).toEqual([job.pid, stays]);
  });

  it('reads a known pid again when the kernel may have handed it out since the last scan', () => {
    expect(parseLastPid('0.10 0.20 0.30 1/123 4567\n')).toBe(4567);
    expect(parseLastPid(undefined)).toBeUndefined();
    expect(allocatedBetween(150, 100, 200)).toBe(true);
    expect(allocatedBetween(100, 100, 200)).toBe(false);
    expect(allocatedBetween(250, 100, 200)).toBe(false);
    expect(allocatedBetween(150, 100, 100)).toBe(false);
    // The counter wrapped at pid_max: 32000 → 300.
    expect(allocatedBetween(32_500, 32_000, 300)).toBe(true);
    expect(allocatedBetween(200, 32_000, 300)).toBe(true);
    expect(allocatedBetween(1000, 32_000, 300)).toBe(false);
  });
});
