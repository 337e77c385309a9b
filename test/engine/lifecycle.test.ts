import { cpus } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilities } from '../../electron/engine/isolation/capabilities';
import { JOURNAL_FILE } from '../../electron/engine/store/runningRegistry';
import { dataDirIdentity } from '../../electron/engine/supervisor/runMarker';
import { killAllWith, processesWith, sleepersWith, uniqueToken } from './escapees';
import { closeEngines, groupMembers, isAlive, openEngine, tempDir, waitFor, waitForState } from './helpers';

const tokens: string[] = [];
afterEach(async () => {
  await closeEngines();
  for (const token of tokens.splice(0)) killAllWith(token);
});

interface ChildOptions {
  level?: 'none' | 'basic';
  noCgroups?: boolean;
}

async function engineInChildProcess(dataDir: string, scripts: string[], options: ChildOptions = {}) {
  const env = { ...process.env, ENGINE_CHILD_LEVEL: options.level ?? 'none', ENGINE_CHILD_NO_CGROUPS: options.noCgroups ? '1' : '0' };
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/engineChild.ts'), dataDir, ...scripts], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`engine child exited early (${code})`)));
  });
  return { child, jobs: JSON.parse(line) as { id: string; pgid: number; runId: string; tracking?: string }[] };
}

async function killEngine(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const noCgroups = { ...capabilities(), cgroup: undefined, cgroupProblem: 'test: no cgroups', tracking: undefined, trackingProblem: 'test: no cgroups' };

describe('crash recovery', () => {
  it('a new engine kills the groups a SIGKILLed engine left running', async () => {
    const dataDir = tempDir();
    const { child, jobs } = await engineInChildProcess(dataDir, ['sleep 300 & sleep 300 & wait', 'sleep 301']);
    const members = await waitFor(() => {
      const found = jobs.flatMap((j) => groupMembers(j.pgid));
      return found.length >= 4 ? found : undefined;
    }, 'every job process to start');
    await killEngine(child);
    // The jobs, in their own sessions, outlive the engine: that is what recovery is for.
    expect(members.every(isAlive)).toBe(true);

    const engine = openEngine({ dataDir });
    expect(engine.recovered.map((g) => g.pgid).sort()).toEqual(jobs.map((j) => j.pgid).sort());
    expect(engine.recovered.flatMap((g) => g.killedPids).sort()).toEqual([...members].sort());
    expect(engine.recovered[0]!.command).toMatch(/sleep/);
    await waitFor(() => members.every((pid) => !isAlive(pid)), 'leftovers to die', 3000);
    // Their jobs are remembered as ended with the engine.
    for (const { id } of jobs) {
      const job = engine.jobs.get(id);
      expect(job.state).toBe('killed');
      expect(job.reason).toMatch(/engine stopped/);
    }
  });

  it.each([
    ['none', false],
    ['basic', false],
    ['none', true],
  ] as const)('at isolation %s (no cgroups: %s), a new engine kills a setsid child a SIGKILLed engine left running', async (level, withoutCgroups) => {
    const dataDir = tempDir();
    const token = uniqueToken();
    tokens.push(token);
    const { child, jobs } = await engineInChildProcess(dataDir, [`setsid sleep ${token} & wait`], { level, noCgroups: withoutCgroups });
    const [escapee] = await waitFor(() => {
      const found = sleepersWith(token);
      return found.length > 0 ? found : undefined;
    }, 'the setsid child to start');
    await killEngine(child);
    expect(isAlive(escapee!)).toBe(true);

    const engine = openEngine({ dataDir, ...(withoutCgroups && { capabilities: noCgroups }) });
    expect(processesWith(token)).toEqual([]);
    const recovered = engine.recovered.find((g) => g.jobId === jobs[0]!.id);
    expect(recovered?.killedPids).toContain(escapee);
    expect(recovered?.runId).toBe(jobs[0]!.runId);
    expect(jobs[0]!.tracking).toBe(withoutCgroups ? 'marker' : capabilities().tracking?.version === 2 ? 'cgroup-v2' : 'cgroup-v1');
  });

  it('without its registry, recovery still finds a run by its marker', async () => {
    const dataDir = tempDir();
    const token = uniqueToken();
    tokens.push(token);
    const { child, jobs } = await engineInChildProcess(dataDir, [`setsid sleep ${token} & wait`], { noCgroups: true });
    await waitFor(() => sleepersWith(token).length > 0, 'the setsid child to start');
    await killEngine(child);
    rmSync(join(dataDir, JOURNAL_FILE));
    const engine = openEngine({ dataDir, capabilities: noCgroups });
    expect(processesWith(token)).toEqual([]);
    // The saved jobs still say which job the run was.
    expect(engine.recovered.map((g) => g.jobId)).toEqual([jobs[0]!.id]);
  });

  it('without its registry, a quiet run found in its cgroup is still named after its job', async () => {
    const dataDir = tempDir();
    const token = uniqueToken();
    tokens.push(token);
    // It writes nothing, so it has no log file to say whose it was; killed within the saved
    // jobs' flush delay of its start, only its processes' marker says it.
    const { child, jobs } = await engineInChildProcess(dataDir, [`sleep ${token}`]);
    await waitFor(() => sleepersWith(token).length > 0, 'the sleep to start');
    await killEngine(child);
    rmSync(join(dataDir, JOURNAL_FILE));
    const engine = openEngine({ dataDir });
    expect(processesWith(token)).toEqual([]);
    expect(engine.recovered.map((g) => [g.jobId, g.runId])).toEqual([[jobs[0]!.id, jobs[0]!.runId]]);
  });

  it.each([
    ['cut short', (path: string) => truncateSync(path, readFileSync(path).length - 7)],
    ['with a garbled record', (path: string) => writeFileSync(path, `{"add": nonsense}\n${readFileSync(path, 'utf8')}`)],
    ['replaced by a directory', (path: string) => (rmSync(path), mkdirSync(path))],
  ])('a running registry %s is set aside and reported, and every leftover is still killed', async (_damage, damage) => {
    const dataDir = tempDir();
    const { child, jobs } = await engineInChildProcess(dataDir, ['sleep 300 & sleep 300 & wait', 'sleep 301 & wait']);
    const members = await waitFor(() => {
      const found = jobs.flatMap((j) => groupMembers(j.pgid));
      return found.length >= 5 ? found : undefined;
    }, 'every job process to start');
    await killEngine(child);
    damage(join(dataDir, JOURNAL_FILE));

    const engine = openEngine({ dataDir });
    await waitFor(() => members.every((pid) => !isAlive(pid)), 'every leftover to die');
    expect(engine.openingNotices.join('\n')).toMatch(/running registry.*moved to .*running\.journal\.unreadable-/);
    expect(readdirSync(dataDir).some((name) => name.startsWith(`${JOURNAL_FILE}.unreadable-`))).toBe(true);
    // A fresh registry in its place, for the runs of this engine.
    expect(existsSync(join(dataDir, JOURNAL_FILE))).toBe(true);
  });

  it("never reaps another data directory's live runs", async () => {
    const token = uniqueToken();
    tokens.push(token);
    const live = openEngine();
    const job = live.jobs.start({ command: { kind: 'shell', script: `setsid sleep ${token} & wait` } });
    await waitForState(live, job.id, 'running');
    await waitFor(() => sleepersWith(token).length > 0, 'the live engine\'s setsid child to start');
    const dataDir = tempDir();
    const { child } = await engineInChildProcess(dataDir, ['setsid sleep 302 & wait']);
    await killEngine(child);
    const other = openEngine({ dataDir });
    expect(other.recovered.length).toBe(1);
    expect(sleepersWith(token).length).toBe(1);
    expect(live.jobs.get(job.id).state).toBe('running');
  });

  it('a clean shutdown leaves nothing to recover', async () => {
    const dataDir = tempDir();
    const first = openEngine({ dataDir });
    const job = first.jobs.start({ command: { kind: 'shell', script: 'sleep 300' }, graceMs: 200 });
    const running = await waitForState(first, job.id, 'running');
    await first.shutdown();
    expect(isAlive(running.pid!)).toBe(false);
    // Nor a cgroup: shutdown waits until the runs' cgroups are removed.
    const base = capabilities().tracking?.base;
    if (base) expect(readdirSync(base).filter((name) => name.startsWith(`${dataDirIdentity(dataDir)}-`))).toEqual([]);
    const second = openEngine({ dataDir });
    expect(second.recovered).toEqual([]);
  });
});

describe('shutdown and persistence', () => {
  it('shutdown stops every job within its grace period', async () => {
    const engine = openEngine();
    const polite = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    const stubborn = engine.jobs.start({ command: { kind: 'shell', script: "trap '' TERM; sleep 300 & wait" }, graceMs: 400 });
    const pids = [(await waitForState(engine, polite.id, 'running')).pgid!, (await waitForState(engine, stubborn.id, 'running')).pgid!];
    // The trap is in place once sh has forked the sleep.
    await waitFor(() => groupMembers(pids[1]!).length >= 2, 'stubborn sleep to start');
    const started = Date.now();
    await engine.shutdown();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(engine.jobs.get(polite.id).state).toBe('killed');
    expect(engine.jobs.get(stubborn.id).signal).toBe('SIGKILL');
    for (const pgid of pids) expect(groupMembers(pgid)).toEqual([]);
    expect(() => engine.jobs.start({ command: { kind: 'shell', script: 'true' } })).toThrow(/shutting down/);
  });

  it('jobs and their outcome survive an engine restart', async () => {
    const dataDir = tempDir();
    const first = openEngine({ dataDir });
    const job = first.jobs.start({ name: 'saved', command: { kind: 'shell', script: 'exit 4' } });
    await waitForState(first, job.id, 'exited');
    await first.shutdown();
    const second = openEngine({ dataDir });
    const restored = second.jobs.get(job.id);
    expect(restored).toMatchObject({ name: 'saved', state: 'exited', exitCode: 4 });
    second.jobs.restart(job.id);
    expect((await waitForState(second, job.id, 'exited')).runCount).toBe(2);
  });

  it('an unreadable saved file is set aside, reported, and the engine still works', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'jobs.json'), '{ not json');
    const engine = openEngine({ dataDir });
    expect(engine.openingNotices.join()).toMatch(/could not read saved jobs.*moved to .*jobs\.json\.unreadable-/);
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'true' } });
    await waitForState(engine, job.id, 'exited');
  });

  it('restart of a running job stops it and runs it again', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    const first = await waitForState(engine, job.id, 'running');
    engine.jobs.restart(job.id);
    await waitFor(() => {
      const now = engine.jobs.get(job.id);
      return now.state === 'running' && now.pid !== first.pid ? now : undefined;
    }, 'second run');
    expect(engine.jobs.get(job.id).runCount).toBe(2);
    expect(isAlive(first.pid!)).toBe(false);
  });

  it('the pool runs at most maxConcurrent jobs and queues the rest', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 2 } });
    const ids = [1, 2, 3, 4].map(() => engine.jobs.start({ command: { kind: 'shell', script: 'sleep 0.3' } }).id);
    await waitFor(() => ids.filter((id) => engine.jobs.get(id).state === 'running').length === 2, 'two running');
    expect(ids.filter((id) => engine.jobs.get(id).state === 'queued')).toHaveLength(2);
    for (const id of ids) await waitForState(engine, id, 'exited', 5000);
  });

  it('by default, more jobs than cores all run at once (services do not queue behind each other)', async () => {
    const engine = openEngine();
    const count = cpus().length + 2;
    const ids = Array.from({ length: count }, () => engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['30'] } }).id);
    await waitFor(() => ids.every((id) => engine.jobs.get(id).state === 'running'), `all ${count} jobs running`);
    expect(engine.settings.get().maxConcurrent).toBe(64);
    for (const id of ids) engine.jobs.kill(id);
    for (const id of ids) await waitForState(engine, id, 'killed', 5000);
  });
});

describe('settings', () => {
  it('a patch changes only what it names, is validated, and is saved', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    engine.settings.update({ commandPolicy: { allow: [], deny: ['seq'] }, maxConcurrent: 3 });
    engine.settings.update({ confirmKill: false });
    expect(engine.settings.get()).toMatchObject({ confirmKill: false, maxConcurrent: 3, commandPolicy: { deny: ['seq'] } });
    expect(() => engine.settings.update({ maxConcurrent: 0 })).toThrow(/maxConcurrent/);
    expect(engine.settings.get().maxConcurrent).toBe(3);
    await engine.shutdown();
    const reopened = openEngine({ dataDir });
    expect(reopened.settings.get()).toMatchObject({ confirmKill: false, maxConcurrent: 3 });
  });
});
