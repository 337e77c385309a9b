// The cgroup member lists the tick keeps (TrackedSets): read again only when the scan shows a
// process that may be a member outside the trees. Real jobs in real cgroups, sampled by the
// host scan, with other processes forking on the machine meanwhile.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostScan } from '../../../electron/engine/monitor/hostScan';
import type { TrackedProcesses } from '../../../electron/engine/monitor/sampler';
import { TrackedSets } from '../../../electron/engine/monitor/trackedSets';
import { killAllWith, processesWith, sleepersWith, uniqueToken } from '../escapees';
import { cleanupLaunched, launch, waitFor, type Launched } from '../isolation/helpers';
import { childrenOf, killGroups, startShell, statFields } from './processes';

let host: HostScan | undefined;
const tokens: string[] = [];
const dirs: string[] = [];
afterEach(async () => {
  host?.dispose();
  host = undefined;
  await cleanupLaunched();
  await killGroups();
  for (const token of tokens.splice(0)) killAllWith(token);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The job's cgroup list as the tick reads it, counting the reads. */
function counted(job: Launched): TrackedProcesses & { reads: number } {
  const sampling = job.launch.tracker.sampling;
  if (sampling.kind !== 'members') throw new Error(`test needs cgroup tracking, got ${job.launch.tracker.tracking.mechanism}`);
  const set = { kind: 'members' as const, reads: 0, pids: () => (set.reads++, sampling.pids()) };
  return set;
}

/** A shell outside every job that forks a short-lived child without pause: the other work on a shared machine. */
function startForker(): { nextChild(): Promise<void> } {
  const forker = startShell('while :; do /bin/true; sleep 0.05; done');
  let last: number | undefined;
  return {
    // Waits until the forker has started another child since the last call: the next scan has newcomers.
    nextChild: async () => {
      last = await waitFor(() => childrenOf(forker.pid).find((pid) => pid !== last), 'the forker to fork again');
    },
  };
}

/** A job whose main process double-forks a `sleep <token>` into a new session (reparented away from the job) once `fifo` is written. */
function startDoubleForker(token: string): { job: Launched; fire(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'procdeck-tracked-'));
  dirs.push(dir);
  const fifo = join(dir, 'go');
  spawnSync('mkfifo', [fifo]);
  tokens.push(token);
  const job = launch({ command: { kind: 'shell', script: `read line < ${fifo}; (setsid sleep ${token} &); exec sleep ${token}1` } });
  return { job, fire: () => writeFileSync(fifo, 'go\n') };
}

describe('tracked sets: cgroup member lists', () => {
  it('are not read again while only processes outside every job fork, but every few ticks anyway', async () => {
    const job = launch({ command: { kind: 'shell', script: 'exec sleep 300' } });
    const set = counted(job);
    const forker = startForker();
    host = new HostScan(undefined, undefined, new TrackedSets({ rereadEvery: 8 }));
    const roots = new Map([['job', job.pid]]);
    const tracked = new Map([['job', set]]);
    const tick = async () => {
      await forker.nextChild();
      return host!.scan(roots, tracked);
    };
    // The first scan knows no process from before: the list is read before it, after it and at the tick after that.
    await tick();
    await tick();
    // (At least: something else starting here meanwhile may ask for one more, see below.)
    expect(set.reads).toBeGreaterThanOrEqual(3);
    // Then the forker's children are nobody's: before, every tick with a new pid on the machine read the
    // list, 6 reads in 6 ticks. Other work starting here may still ask for reads, rightly: a new test
    // worker is a child of an ancestor of this process, another test's orphan lands on init. So of up to
    // 10 windows of 6 ticks, one must go without a read but the scheduled one (every 8 ticks).
    let quietest = Number.POSITIVE_INFINITY;
    for (let window = 0; window < 10 && quietest > 1; window++) {
      const at = set.reads;
      for (let i = 0; i < 6; i++) await tick();
      quietest = Math.min(quietest, set.reads - at);
    }
    expect(quietest).toBeLessThanOrEqual(1);
    const before = set.reads;
    // Every `rereadEvery` ticks read anyway (a process moved in by hand).
    for (let i = 0; i < 8; i++) await tick();
    expect(set.reads).toBeGreaterThan(before);
  });

  it('an escapee that double-forked while other processes fork is counted in its job from the scan that first shows it', async () => {
    const token = uniqueToken();
    const { job, fire } = startDoubleForker(token);
    const set = counted(job);
    const forker = startForker();
    // Never read on a schedule here: only what the scans show can find the escapee.
    host = new HostScan(undefined, undefined, new TrackedSets({ rereadEvery: 1_000_000 }));
    const roots = new Map([['job', job.pid]]);
    const tracked = new Map([['job', set]]);
    const tick = () => host!.scan(roots, tracked);
    // Settled: the job's shell waits on the fifo; a few ticks with the forker's children about.
    for (let i = 0; i < 4; i++) {
      await forker.nextChild();
      tick();
    }
    fire();
    const escapee = await waitFor(() => sleepersWith(token)[0], 'the escapee');
    // Reparented away from the job's tree (its subshell exited; setsid took it out of the job's group): no scan saw it before.
    await waitFor(() => !processesWith(token).includes(Number(statFields(escapee)?.[1])), 'the escapee to be reparented');
    for (let scans = 0; ; scans++) {
      await forker.nextChild();
      const usage = tick().get('job');
      if (usage?.pids.includes(escapee)) break;
      // A scan that shows it counts it (the first may have started before its fork: one more).
      expect(scans).toBeLessThan(2);
    }
    // And it stays counted while nothing else happens in the job.
    for (let i = 0; i < 3; i++) {
      await forker.nextChild();
      expect(tick().get('job')?.pids).toContain(escapee);
    }
  });
});
