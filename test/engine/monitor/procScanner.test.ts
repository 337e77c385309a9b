import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { allocatedBetween, parseLastPid, ProcScanner } from '../../../electron/engine/monitor/procScanner';
import { StatReader } from '../../../electron/engine/monitor/statReader';
import { computeTreeUsage, type ProcSnapshot } from '../../../electron/engine/monitor/treeUsage';
import { waitFor } from '../../support/wait';
import { bracket, expectWithin, sampledTicks, ticksBetween, waitForCpu, type Bracketed } from './kernelCpu';
import { exited, killGroups, startGroup, startShell, waitForChildren, waitUntilReaped } from './processes';
import { ReaperJob, scanReaperPhases } from './reaperJob';

let scanner: ProcScanner | undefined;

afterEach(async () => {
  scanner?.dispose();
  scanner = undefined;
  await killGroups();
});

const openFds = () => readdirSync('/proc/self/fd').length;

/** Scans until `ready` holds for the commands of the job's tree (children take a moment to appear). */
function scanUntil(s: ProcScanner, root: number, ready: (comms: string[]) => boolean): Promise<ProcSnapshot> {
  return waitFor(
    () => {
      const snapshot = s.scan({ roots: [root] });
      const pids = snapshot.trees.get(root);
      return pids !== undefined && ready(pids.map((pid) => snapshot.table.processes.get(pid)!.comm)) && snapshot;
    },
    `the tree of ${root} to be ready`,
  );
}

/** The CPU ticks the scanner's figure for the job stands for, between two bracketed scans. */
function jobTicks(current: Bracketed<ProcSnapshot>, previous: Bracketed<ProcSnapshot>, root: number): number {
  const usage = computeTreeUsage(current.value, previous.value, new Map([['job', root]])).get('job')!;
  return sampledTicks(usage.cpu, current.value, previous.value);
}

describe('ProcScanner', () => {
  it('reads only the sampled trees and new processes between full scans, and finds a new child on the next scan', async () => {
    // The shell's first child runs until the test ends it; then the shell starts another.
    const job = startShell('sleep 301; sleep 300 & wait');
    const outside = startGroup('sleep', ['300']);
    const [firstChild] = await waitForChildren(job.pid, 1, /^sleep 301$/);
    scanner = new ProcScanner({ fullEvery: 1000 });
    const first = scanner.scan({ roots: [job.pid] });
    expect(first.table.fresh).toBeUndefined();
    expect(first.trees.get(job.pid)).toEqual([job.pid, firstChild]);

    const second = scanner.scan({ roots: [job.pid] });
    expect(second.table.fresh?.has(job.pid)).toBe(true);
    // Known and outside every tree: carried over, not read.
    expect(second.table.fresh?.has(outside.pid)).toBe(false);
    expect(second.table.processes.get(outside.pid)).toBe(first.table.processes.get(outside.pid));

    // `sleep 301` ends, `sleep 300` starts: a pid no scan has seen, found by the next one.
    process.kill(firstChild!, 'SIGKILL');
    // (A forked child shows as sh until it execs: it is read again at every scan, so exec is seen.)
    const third = await waitFor(() => {
      const snapshot = scanner!.scan({ roots: [job.pid] });
      const pid = snapshot.trees.get(job.pid)?.[1];
      return pid !== undefined && pid !== firstChild && snapshot.table.processes.get(pid)!.comm === 'sleep' && snapshot;
    }, 'the shell\'s second child');
    const child = third.trees.get(job.pid)![1]!;
    expect(child).not.toBe(firstChild);
    expect(third.table.processes.get(child)).toMatchObject({ comm: 'sleep', ppid: job.pid });
    expect(third.table.fresh?.has(child)).toBe(true);
  });

  it('reads every process when asked (the system list), with nice values', async () => {
    const outside = startGroup('sleep', ['300']);
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
    // The shell starts its busy child once the test has ended the first one: after the first (full) scan.
    const job = startShell('sleep 300; yes > /dev/null & wait');
    const [nap] = await waitForChildren(job.pid, 1, /^sleep 300$/);
    scanner = new ProcScanner({ fullEvery: 1000 });
    expect(scanner.scan({ roots: [job.pid] }).table.fresh).toBeUndefined();
    process.kill(nap!, 'SIGKILL');
    const [yes] = await waitForChildren(job.pid, 1, /^yes$/);
    const pids = [job.pid, yes!];
    const previous = bracket(pids, () => scanner!.scan({ roots: [job.pid] }));
    // An incremental scan found it: read because it is new.
    expect(previous.value.table.fresh?.has(yes!)).toBe(true);
    expect(previous.value.trees.get(job.pid)).toEqual(pids);
    await waitForCpu([yes!], previous.after, 50, 'the busy child');
    const now = bracket(pids, () => scanner!.scan({ roots: [job.pid] }));
    expect(computeTreeUsage(now.value, previous.value, new Map([['job', job.pid]])).get('job')!.pids).toEqual(pids);
    expectWithin(jobTicks(now, previous, job.pid), ticksBetween(previous, now), 'ticks of the tree');
  });

  it("counts children no scan saw, and children a scan saw, once, through the parent's reaped time", async () => {
    const job = await ReaperJob.start();
    scanner = new ProcScanner({ fullEvery: 1000 });
    const { start, afterBurst, seen, reaped, spinner } = await scanReaperPhases(job, (pids) => bracket(pids, () => scanner!.scan({ roots: [job.pid] })));
    expect(afterBurst.value.table.fresh).toBeDefined();
    // Three children were born, busy and reaped between the two scans: only cutime has them.
    expect(ticksBetween(start, afterBurst).min).toBeGreaterThanOrEqual(10);
    expectWithin(jobTicks(afterBurst, start, job.pid), ticksBetween(start, afterBurst), 'ticks of children reaped between scans');
    // A busy child seen by a scan, then reaped: its time before that scan must not count again.
    expect(seen.value.trees.get(job.pid)).toEqual([job.pid, spinner]);
    expect(reaped.value.trees.get(job.pid)).toEqual([job.pid]);
    expectWithin(jobTicks(reaped, seen, job.pid), ticksBetween(seen, reaped), 'ticks of a child reaped after a scan saw it');
  });

  it('keeps fds only for the sampled processes, closes those of processes gone, and all on dispose', async () => {
    const baseline = openFds();
    const jobs = Array.from({ length: 20 }, () => startGroup('sleep', ['300']));
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
    scanner.scan({ roots: [job.pid] });
    expect(scanner.openFds).toBe(0);
  });

  it('does not list /proc when no pid was handed out since the last scan, and still drops sampled processes that exited', async () => {
    const jobs = [startGroup('sleep', ['300']), startGroup('sleep', ['300'])];
    let lastPid = 1000;
    scanner = new ProcScanner({ fullEvery: 1000, lastPid: () => lastPid });
    const roots = jobs.map((j) => j.pid);
    const first = scanner.scan({ roots });
    const later = startGroup('sleep', ['300']);
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
    // The pid counter is held still below, so /proc is listed only by the first scan: the children must be there by then.
    await waitForChildren(job.pid, 2, /^sleep 30[01]$/);
    let lastPid = 1000;
    scanner = new ProcScanner({ fullEvery: 1000, lastPid: () => lastPid });
    const first = scanner.scan({ roots: [job.pid] });
    expect(first.trees.get(job.pid)).toHaveLength(3);
    const second = scanner.scan({ roots: [job.pid] });
    expect(second.forest).toBe(first.forest);
    expect(second.trees.get(job.pid)).toEqual(first.trees.get(job.pid));
    // Another root: the trees are collected again.
    const other = startGroup('sleep', ['300']);
    lastPid++;
    const third = scanner.scan({ roots: [job.pid, other.pid] });
    expect(third.trees.get(other.pid)).toEqual([other.pid]);
    // A process of a tree exits: the forest is built again without it.
    const [, child, stays] = third.trees.get(job.pid)!;
    process.kill(child!, 'SIGKILL');
    // Gone once the shell has reaped it (a zombie would still be listed, and in the tree).
    await waitUntilReaped(child!);
    const fourth = scanner.scan({ roots: [job.pid, other.pid] });
    expect(fourth.forest).not.toBe(third.forest);
    expect(fourth.trees.get(job.pid)).toEqual([job.pid, stays]);
  });

  it('keeps the trees while only processes outside them come and go, and builds them again once a tree process forks', async () => {
    const fifo = `/tmp/procdeck-scan-${process.pid}-${Date.now()}`;
    spawnSync('mkfifo', [fifo]);
    // The job forks a child once the fifo is written (not exec'd: a command follows); the forker outside it forks all along.
    const job = startShell(`read line < ${fifo}; rm ${fifo}; sleep 300; exit 0`);
    const forker = startShell('while :; do /bin/true; sleep 0.05; done');
    scanner = new ProcScanner({ fullEvery: 1000 });
    const nextForkerChild = async (since: ProcSnapshot) =>
      waitFor(() => {
        const snapshot = scanner!.scan({ roots: [job.pid] });
        const newcomer = snapshot.table.born?.find((pid) => snapshot.table.processes.get(pid)?.ppid === forker.pid);
        return newcomer !== undefined && snapshot !== since && snapshot;
      }, 'a scan that shows a new child of the forker');
    const first = scanner.scan({ roots: [job.pid] });
    const second = await nextForkerChild(first);
    expect(second.trees).toBe(first.trees);
    expect(second.trees.get(job.pid)).toEqual([job.pid]);
    writeFileSync(fifo, 'go\n');
    const grown = await waitFor(() => {
      const snapshot = scanner!.scan({ roots: [job.pid] });
      const child = snapshot.trees.get(job.pid)![1];
      return child !== undefined && snapshot.table.processes.get(child)?.comm === 'sleep' && snapshot;
    }, 'the job to fork its sleep');
    expect(grown.trees).not.toBe(first.trees);
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
