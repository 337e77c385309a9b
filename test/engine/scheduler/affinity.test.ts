import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseCores } from '../../../electron/engine/affinity/chooseCores';
import { parseCoreList } from '../../../electron/engine/affinity/coreList';
import { formatCoreList } from '../../../shared/format';
import { readAffinity, readNice } from '../../../electron/engine/affinity/processControls';
import { parseProcStat } from '../../../electron/engine/monitor/procStat';
import { readCommandLine } from '../../../electron/engine/monitor/processText';
import { groupAndSession, killAllWith, processesWith, sleepersWith, uniqueToken } from '../escapees';
import { closeEngines, groupMembers, openEngine, waitFor, waitForState } from '../helpers';

const tokens: string[] = [];
afterEach(async () => {
  await closeEngines();
  for (const token of tokens.splice(0)) killAllWith(token);
});

const tree = 'sleep 300 & sleep 300 & wait';

describe('core choice', () => {
  const ctx = (coreLoad: number[], pinnedJobs = [0, 0]) => ({ coreCount: 2, coreLoad, pinnedJobs, roundRobin: new Map<string, number>() });

  it('least-loaded picks the idle core while the other is busy, and weighs pinned jobs', () => {
    expect(chooseCores({ mode: 'least-loaded' }, ctx([95, 3]))).toEqual([1]);
    expect(chooseCores({ mode: 'least-loaded' }, ctx([2, 97]))).toEqual([0]);
    expect(chooseCores({ mode: 'least-loaded' }, ctx([10, 10], [0, 2]))).toEqual([0]);
  });

  it('round-robin takes each core of the set in turn; bad cores are named', () => {
    const c = ctx([0, 0]);
    const picks = [1, 2, 3].map(() => chooseCores({ mode: 'round-robin', cores: [0, 1] }, c));
    expect(picks).toEqual([[0], [1], [0]]);
    expect(() => chooseCores({ mode: 'fixed', cores: [0, 7] }, c)).toThrow(/core 7 does not exist: this machine has cores 0–1/);
  });

  it('core lists round-trip', () => {
    expect(parseCoreList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(formatCoreList([3, 1, 1])).toBe('1,3');
  });
});

describe('affinity and nice on real process trees', () => {
  it('apply at launch to every process of the tree, and change live', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: tree }, affinity: { mode: 'fixed', cores: [1] }, nice: 7 });
    const running = await waitForState(engine, job.id, 'running');
    const members = await waitFor(() => {
      const m = groupMembers(running.pgid!);
      return m.length >= 3 ? m : undefined;
    }, 'the tree');
    for (const pid of members) {
      expect(readAffinity(pid)).toEqual([1]);
      expect(readNice(pid)).toBe(7);
    }
    await waitFor(() => engine.jobs.get(job.id).cores?.join() === '1' && engine.jobs.get(job.id).niceInForce === 7, 'read-back in the snapshot');

    const pinned = await engine.jobs.setAffinity(job.id, [0]);
    expect(pinned.cores).toEqual([0]);
    const reniced = await engine.jobs.renice(job.id, 12);
    expect(reniced.niceInForce).toBe(12);
    for (const pid of groupMembers(running.pgid!)) {
      expect(readAffinity(pid)).toEqual([0]);
      expect(readNice(pid)).toBe(12);
    }
  });

  it('a live change reaches a process that left the tree (a double fork, another session): the tracking has it', async () => {
    const engine = openEngine();
    const token = uniqueToken();
    tokens.push(token);
    // The subshell exits at once: its setsid sleep is reparented away from the job's tree and group.
    const job = engine.jobs.start({ command: { kind: 'shell', script: `(setsid sleep ${token} &); exec sleep 300` }, affinity: { mode: 'fixed', cores: [1] }, nice: 3 });
    const running = await waitForState(engine, job.id, 'running');
    const [escapee] = await waitFor(() => {
      // `sleep <token>` exactly (the job's shell, whose command line holds the token too, execs
      // `sleep 300`), once the subshell has exited: its parent is then neither the job's shell nor
      // anything of the job.
      const parentOf = (pid: number) => parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), 1)?.ppid;
      const found = sleepersWith(token).filter((pid) => ![running.pid, ...processesWith(token)].includes(parentOf(pid)));
      return found.length === 1 ? found : undefined;
    }, 'the escapee to run sleep outside the tree');
    expect(groupAndSession(escapee!)?.pgid).not.toBe(running.pgid);
    expect([readAffinity(escapee!), readNice(escapee!)]).toEqual([[1], 3]);
    await engine.jobs.setAffinity(job.id, [0]);
    await engine.jobs.renice(job.id, 12);
    expect([readAffinity(escapee!), readNice(escapee!)]).toEqual([[0], 12]);
    expect([readAffinity(running.pid!), readNice(running.pid!)]).toEqual([[0], 12]);
  });

  it('a job with neither cores nor nice has the ones it inherited in the snapshot that first says running', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    const running = await waitForState(engine, job.id, 'running');
    expect(running.cores).toEqual(readAffinity(process.pid));
    expect(running.niceInForce).toBe(readNice(process.pid));
    // What the job itself runs with, once sleep has exec'd: the same figures.
    await waitFor(() => readCommandLine(running.pid!, '').endsWith('sleep 300'), 'sleep to run');
    expect(readAffinity(running.pid!)).toEqual(running.cores);
    expect(readNice(running.pid!)).toBe(running.niceInForce);
  });

  it('invalid cores and nice values get clear errors', async () => {
    const engine = openEngine();
    expect(() => engine.jobs.start({ command: { kind: 'shell', script: 'true' }, affinity: { mode: 'fixed', cores: [9] } })).toThrow(/core 9 does not exist/);
    expect(() => engine.jobs.start({ command: { kind: 'shell', script: 'true' }, nice: 40 })).toThrow(/nice must be between -20 and 19/);
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    await waitForState(engine, job.id, 'running');
    await expect(engine.jobs.setAffinity(job.id, [5])).rejects.toThrow(/core 5 does not exist/);
  });

  it('least-loaded scores cores from the live per-core load the engine samples', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 200 } });
    for (const busyCore of [0, 1]) {
      const busy = engine.jobs.start({ command: { kind: 'shell', script: 'while :; do :; done' }, affinity: { mode: 'fixed', cores: [busyCore] } });
      await waitForState(engine, busy.id, 'running');
      // The spinner is pinned there, so the sampled load of its core must show it.
      await waitFor(() => (engine.monitor.coreLoad[busyCore] ?? 0) > 80, `core ${busyCore} to show the spinner`, 10_000);
      // start() chooses synchronously: the load seen here is the load it scores. Other work on
      // a shared machine may load the other core too, so the expectation is computed, not assumed.
      const load = [...engine.monitor.coreLoad];
      const score = (c: number) => load[c]! + (c === busyCore ? 25 : 0);
      const expected = score(0) <= score(1) ? 0 : 1;
      const picked = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' }, affinity: { mode: 'least-loaded' } });
      expect(await waitFor(() => engine.jobs.get(picked.id).cores, 'the pick to be read back')).toEqual([expected]);
      engine.jobs.kill(busy.id);
      engine.jobs.kill(picked.id);
      await waitForState(engine, busy.id, 'killed');
      await waitForState(engine, picked.id, 'killed');
    }
  });

  it('round-robin spreads consecutive jobs over the set', async () => {
    const engine = openEngine();
    const ids = [1, 2].map(() => engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' }, affinity: { mode: 'round-robin', cores: [0, 1] } }).id);
    const cores = await Promise.all(ids.map((id) => waitFor(() => engine.jobs.get(id).cores?.length === 1 && engine.jobs.get(id).cores, `cores of ${id}`)));
    expect(cores.flat().sort()).toEqual([0, 1]);
  });
});
