// A pool group's limit holds for Slurm jobs for as long as they are active in the cluster
// (submitted, pending there, running), across a restart of Procdeck too; the global pool
// (this machine's slots) does not hold them back. The test cluster lets 4 jobs share each of
// its cores (OverSubscribe=FORCE:4), so Slurm itself would run all 5 jobs of a test at once:
// only Procdeck's group limit keeps them to 2. Each job runs until the test writes its
// release file, so the count is checked at every change, not raced against time.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, it } from 'vitest';
import type { Engine, EngineOptions } from '../../../../electron/engine/engine';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { describeWait } from '../../../../shared/jobWait';
import { describeWithSlurm } from '../../../support/slurm/slurmFixture';
import { FINAL, jobDir } from '../../../support/slurm/slurmJobs';
import { waitForSlurm } from '../../../support/slurm/slurmWait';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../../helpers';

const ACTIVE_IN_SLURM = 'PENDING,CONFIGURING,RUNNING,SUSPENDED,COMPLETING';
const isFinal = (job: JobSnapshot) => FINAL.includes(job.state);
/** Handed to the cluster and not ended: a job Procdeck still holds back is queued with no Slurm id. */
const isActive = (job: JobSnapshot) => !isFinal(job) && !(job.state === 'queued' && job.slurm === undefined);
/** Runs until its release file is written in its working directory. */
const held = (name: string) => `echo up; while [ ! -e release-${name} ]; do sleep 0.2; done; echo done`;

describeWithSlurm('Slurm backend: a pool group limit counts Slurm jobs while the cluster has them', { constrain: false, rest: false, jobsPerCore: 4 }, (cluster) => {
  const open = (dataDir: string, settings: EngineOptions['settings'] = {}) =>
    openEngine({ dataDir, settings: { slurmConf: cluster().paths.conf, ...settings }, slurm: { pollIntervalMs: 1000, usageIntervalMs: 2000 } });

  /** This cluster's active jobs as squeue lists them (every job in it is this file's). */
  const clusterActive = async () => {
    const { stdout } = await execa('squeue', ['-h', '-t', ACTIVE_IN_SLURM, '-o', '%i'], { env: { ...process.env, ...cluster().env } });
    return stdout.split('\n').filter((line) => line.trim() !== '').length;
  };

  /** The most jobs of `ids` the engine had active in the cluster at any of its pushed changes from now on. */
  const peakActive = (engine: Engine, ids: () => readonly string[]) => {
    const peak = { engine: 0, cluster: 0 };
    engine.events.on('jobs.changed', () => {
      peak.engine = Math.max(peak.engine, ids().filter((id) => isActive(engine.jobs.get(id))).length);
    });
    return peak;
  };

  /**
   * Releases each job once it runs, until all of `ids` have ended; every probe also counts the
   * cluster's active jobs (squeue) into `peak`.
   */
  const releaseAll = (engine: Engine, dir: string, ids: readonly string[], names: readonly string[], peak: { cluster: number }) =>
    waitForSlurm(
      async () => {
        peak.cluster = Math.max(peak.cluster, await clusterActive());
        const jobs = ids.map((id) => engine.jobs.get(id));
        jobs.forEach((job, i) => {
          const release = join(dir, `release-${names[i]}`);
          if (job.state === 'running' && !existsSync(release)) writeFileSync(release, '');
        });
        return jobs.every(isFinal) && jobs;
      },
      () => `every job to end (${ids.map((id) => engine.jobs.get(id).state).join(', ')})`,
      150_000,
    );

  afterEach(async () => {
    await closeEngines();
    // A case that failed must not leave jobs holding the node for the next one.
    await execa('scancel', ['--full', '-u', 'root'], { env: { ...process.env, ...cluster().env }, reject: false });
    await waitForSlurm(async () => (await clusterActive()) === 0, 'the cluster to be empty', 90_000);
  }, 120_000);

  it('the global pool (this machine\'s slots) does not hold Slurm jobs back: with it full, 3 cluster jobs run at once', async () => {
    const engine = open(tempDir('procdeck-slurm-group-'), { maxConcurrent: 1 });
    const local = engine.jobs.start({ command: { kind: 'shell', script: 'exec sleep 1000' } });
    await waitForState(engine, local.id, 'running');
    const dir = jobDir(cluster(), 'pool');
    const names = ['a', 'b', 'c'];
    const ids = names.map((name) => engine.jobs.start({ cwd: dir, command: { kind: 'shell', script: held(name) }, where: { kind: 'slurm', cpus: 1 } }).id);
    // All three at once in the cluster: this node runs more than its 2 cores' worth of jobs.
    await waitForSlurm(async () => ids.every((id) => engine.jobs.get(id).state === 'running') && (await clusterActive()) === 3, () => `the 3 Slurm jobs to run together (${ids.map((id) => engine.jobs.get(id).state).join(', ')})`, 90_000);
    expect(engine.jobs.get(local.id).state).toBe('running');
    const ended = await releaseAll(engine, dir, ids, names, { cluster: 0 });
    expect(ended.map((j) => [j.state, j.exitCode])).toEqual(Array(3).fill(['exited', 0]));
    engine.jobs.kill(local.id);
  }, 180_000);

  it('a group with limit 2 and 5 Slurm jobs: never more than 2 in the cluster, the others wait as "group build: 2 of 2 running", all 5 complete', async () => {
    const engine = open(tempDir('procdeck-slurm-group-'));
    engine.scheduler.updateGroup('build', { limit: 2 });
    const dir = jobDir(cluster(), 'group');
    const names = ['a', 'b', 'c', 'd', 'e'];
    const ids: string[] = [];
    const peak = peakActive(engine, () => ids);
    for (const name of names) ids.push(engine.jobs.start({ name, cwd: dir, group: 'build', command: { kind: 'shell', script: held(name) }, where: { kind: 'slurm', cpus: 1 } }).id);

    const first = await waitForSlurm(async () => {
      const jobs = ids.map((id) => engine.jobs.get(id));
      const running = jobs.filter((j) => j.state === 'running');
      return running.length === 2 && jobs.filter((j) => j.wait?.kind === 'group').length === 3 && (await clusterActive()) === 2 && jobs;
    }, () => `2 jobs running and 3 waiting for the group (${ids.map((id) => engine.jobs.get(id).state).join(', ')})`, 90_000);
    for (const job of first.filter((j) => j.state !== 'running')) {
      expect(job).toMatchObject({ state: 'queued', wait: { kind: 'group', group: 'build', running: 2, limit: 2 } });
      expect(job.slurm).toBeUndefined();
      expect(describeWait(job.wait!)).toBe('group build: 2 of 2 running');
    }
    expect(engine.scheduler.groups().find((g) => g.name === 'build')).toMatchObject({ limit: 2, running: 2, queued: 3 });

    const ended = await releaseAll(engine, dir, ids, names, peak);
    expect(ended.map((j) => [j.state, j.exitCode])).toEqual(Array(5).fill(['exited', 0]));
    expect(peak).toEqual({ engine: 2, cluster: 2 });
    expect(engine.scheduler.groups().find((g) => g.name === 'build')).toMatchObject({ running: 0, queued: 0 });
  }, 240_000);

  it("a job pending in the cluster counts against its group and shows Slurm's reason; the one Procdeck holds back shows the group's", async () => {
    const engine = open(tempDir('procdeck-slurm-group-'));
    engine.scheduler.updateGroup('big', { limit: 2 });
    const dir = jobDir(cluster(), 'pending');
    // 60 % of the node's memory each: the cluster runs one at a time, and keeps the next pending for Resources.
    const memoryBytes = Math.floor(cluster().layout.hardware.realMemoryMb * 0.9 * 0.6) * 2 ** 20;
    const names = ['a', 'b', 'c'];
    const ids = names.map((name) => engine.jobs.start({ name, cwd: dir, group: 'big', command: { kind: 'shell', script: held(name) }, where: { kind: 'slurm', cpus: 1, memoryBytes } }).id);
    const jobs = await waitForSlurm(async () => {
      const all = ids.map((id) => engine.jobs.get(id));
      const firstTwo = all.slice(0, 2);
      return firstTwo.some((j) => j.state === 'running') && firstTwo.some((j) => j.wait?.kind === 'cluster') && all[2]!.wait?.kind === 'group' && (await clusterActive()) === 2 && all;
    }, () => `one job running, one pending in Slurm, one held for the group (${ids.map((id) => JSON.stringify(engine.jobs.get(id).wait ?? engine.jobs.get(id).state)).join(', ')})`, 90_000);
    const pending = jobs.slice(0, 2).find((j) => j.state !== 'running')!;
    expect(pending).toMatchObject({ state: 'queued', slurm: { state: 'PENDING' } });
    expect(pending.reason).toMatch(/^Slurm: pending, waiting for (Resources|Priority)/);
    expect(pending.wait).toEqual({ kind: 'cluster', reason: pending.reason });
    expect(jobs[2]).toMatchObject({ state: 'queued', wait: { kind: 'group', group: 'big', running: 2, limit: 2 } });
    expect(jobs[2]!.slurm).toBeUndefined();
    const ended = await releaseAll(engine, dir, ids, names, { cluster: 0 });
    expect(ended.map((j) => [j.state, j.exitCode])).toEqual(Array(3).fill(['exited', 0]));
  }, 240_000);

  it('after Procdeck restarts, the Slurm jobs it finds again count against their batch\'s limit of 2: retried items wait for them', async () => {
    const dataDir = tempDir('procdeck-slurm-group-');
    let engine = open(dataDir);
    const dir = jobDir(cluster(), 'restart');
    const names = ['a', 'b', 'c', 'd', 'e'];
    const batch = await engine.scheduler.submitBatch({ template: 'echo up; while [ ! -e release-{} ]; do sleep 0.2; done; echo done', inputs: names.join('\n'), limit: 2, cwd: dir, where: { kind: 'slurm', cpus: 1 } });
    const ids = batch.jobIds;
    await waitForSlurm(async () => ids.filter((id) => engine.jobs.get(id).state === 'running').length === 2 && (await clusterActive()) === 2, () => `2 batch items to run (${ids.map((id) => engine.jobs.get(id).state).join(', ')})`, 90_000);
    const survivors = ids.filter((id) => engine.jobs.get(id).state === 'running');

    // Quitting leaves the two in the cluster; the three Procdeck held back end as skipped.
    await engine.shutdown();
    expect(await clusterActive()).toBe(2);
    engine = open(dataDir);
    const peak = peakActive(engine, () => ids);
    for (const id of survivors) await waitForState(engine, id, 'running', 60_000);
    expect(engine.scheduler.groups().find((g) => g.name === batch.group)).toMatchObject({ limit: 2, running: 2 });

    engine.scheduler.retryFailed(batch.id);
    const retried = ids.filter((id) => !survivors.includes(id));
    const waiting = await waitFor(() => {
      const jobs = retried.map((id) => engine.jobs.get(id));
      return jobs.every((j) => j.wait?.kind === 'group') && jobs;
    }, () => `the 3 retried items to wait for their group (${retried.map((id) => JSON.stringify(engine.jobs.get(id).wait)).join(', ')})`);
    for (const job of waiting) {
      expect(job).toMatchObject({ state: 'queued', wait: { kind: 'group', group: batch.group, running: 2, limit: 2 } });
      expect(describeWait(job.wait!)).toBe(`group ${batch.group}: 2 of 2 running`);
    }
    expect(await clusterActive()).toBe(2);

    const ended = await releaseAll(engine, dir, ids, names, peak);
    expect(ended.map((j) => [j.state, j.exitCode])).toEqual(Array(5).fill(['exited', 0]));
    expect(peak).toEqual({ engine: 2, cluster: 2 });
  }, 300_000);
});
