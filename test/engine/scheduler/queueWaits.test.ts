import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { describeWait } from '../../../shared/jobWait';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

const sleeper = (extra: Record<string, unknown> = {}) => ({ command: { kind: 'shell' as const, script: 'sleep 300' }, ...extra });
const waitText = (job: JobSnapshot) => (job.wait ? describeWait(job.wait) : undefined);

/** Every snapshot of `jobId` the engine pushes from now on. */
function pushedSnapshots(engine: Engine, jobId: string): JobSnapshot[] {
  const seen: JobSnapshot[] = [];
  engine.events.on('jobs.changed', ({ jobs }) => seen.push(...jobs.filter((j) => j.id === jobId)));
  return seen;
}

describe('why a queued job waits', () => {
  it('the global pool: "all 2 slots in use", gone once the limit is raised and it starts', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 2 } });
    const blockers = [engine.jobs.start(sleeper()), engine.jobs.start(sleeper())];
    for (const blocker of blockers) await waitForState(engine, blocker.id, 'running');
    const queued = engine.jobs.start(sleeper({ name: 'third' }));
    const waiting = await waitFor(() => engine.jobs.get(queued.id).wait && engine.jobs.get(queued.id), 'the third job to say why it waits');
    expect(waiting.state).toBe('queued');
    expect(waiting.wait).toEqual({ kind: 'pool', running: 2, limit: 2 });
    expect(waitText(waiting)).toBe('all 2 slots in use');
    engine.settings.update({ maxConcurrent: 3 });
    const running = await waitForState(engine, queued.id, 'running');
    expect(running.wait).toBeUndefined();
  });

  it('its group\'s limit: "group build: 2 of 2 running", pushed once, not again when other jobs come and go', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    engine.scheduler.updateGroup('build', { limit: 2 });
    const builds = [engine.jobs.start(sleeper({ group: 'build' })), engine.jobs.start(sleeper({ group: 'build' }))];
    for (const build of builds) await waitForState(engine, build.id, 'running');
    const third = engine.jobs.start(sleeper({ group: 'build', name: 'third' }));
    const pushed = pushedSnapshots(engine, third.id);
    await waitFor(() => pushed.some((j) => j.wait !== undefined), 'a snapshot of the third build saying why it waits');
    expect(pushed.at(-1)!.wait).toEqual({ kind: 'group', group: 'build', running: 2, limit: 2 });
    expect(waitText(engine.jobs.get(third.id))).toBe('group build: 2 of 2 running');
    // A job of another group starts and ends: the pool moved, the third build's wait did not.
    const count = pushed.length;
    const other = engine.jobs.start({ command: { kind: 'shell', script: 'true' } });
    // Its end goes out in an event after the pump that followed it (a pump is an immediate, the event a 50 ms tick).
    const otherPushed = pushedSnapshots(engine, other.id);
    await waitFor(() => otherPushed.some((j) => j.state === 'exited'), "the other job's end to be pushed");
    expect(pushed.length).toBe(count);
    // Its limit raised, it starts and says nothing more of waiting.
    engine.scheduler.updateGroup('build', { limit: 3 });
    expect((await waitForState(engine, third.id, 'running')).wait).toBeUndefined();
  });

  it('a paused group: "group nightly is paused"; resumed, it starts', async () => {
    const engine = openEngine();
    engine.scheduler.updateGroup('nightly', { paused: true });
    const job = engine.jobs.start(sleeper({ group: 'nightly' }));
    const waiting = await waitFor(() => engine.jobs.get(job.id).wait && engine.jobs.get(job.id), 'the job to say why it waits');
    expect(waiting.wait).toEqual({ kind: 'group-paused', group: 'nightly' });
    expect(waitText(waiting)).toBe('group nightly is paused');
    engine.scheduler.updateGroup('nightly', { paused: false });
    expect((await waitForState(engine, job.id, 'running')).wait).toBeUndefined();
  });

  it('a dependency: "waiting for build to succeed", then the pool once the dependency is done', async () => {
    const dir = tempDir();
    const engine = openEngine({ settings: { maxConcurrent: 2 } });
    const build = engine.jobs.start({ name: 'build', command: { kind: 'shell', script: `while [ ! -e ${dir}/go ]; do sleep 0.05; done` } });
    await waitForState(engine, build.id, 'running');
    const deploy = engine.jobs.start(sleeper({ name: 'deploy', dependsOn: [build.id] }));
    const waiting = await waitFor(() => engine.jobs.get(deploy.id).wait && engine.jobs.get(deploy.id), 'deploy to say why it waits');
    expect(waiting.wait).toEqual({ kind: 'dependency', jobId: build.id, name: 'build', condition: 'succeeded', others: 0 });
    expect(waitText(waiting)).toBe('waiting for build to succeed');
    // Others of higher priority take the slots meanwhile: once build has succeeded, deploy waits for the pool instead.
    const others = [engine.jobs.start(sleeper({ priority: 1 })), engine.jobs.start(sleeper({ priority: 1 }))];
    await waitFor(() => others.filter((o) => engine.jobs.get(o.id).state === 'running').length === 1, 'one of the others to take the slot left');
    writeFileSync(join(dir, 'go'), '');
    await waitForState(engine, build.id, 'exited');
    for (const other of others) await waitForState(engine, other.id, 'running');
    const pooled = await waitFor(() => (engine.jobs.get(deploy.id).wait?.kind === 'pool' ? engine.jobs.get(deploy.id) : undefined), 'deploy to wait for the pool');
    expect(pooled.state).toBe('queued');
    expect(waitText(pooled)).toBe('all 2 slots in use');
  });

  it('a declared dependency\'s readiness: "waiting for db to be healthy" until its probe passes', async () => {
    const dir = tempDir();
    const path = join(dir, 'procdeck.yaml');
    writeFileSync(
      path,
      `jobs:
  db:
    command: [sleep, "300"]
    autostart: true
    readiness: { exec: "test -e ${dir}/ready", interval: 100ms }
  worker:
    command: [sleep, "300"]
    autostart: true
    dependsOn: { db: healthy }
`,
    );
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    await engine.services.load(path);
    const worker = engine.jobs.list().find((j) => j.declared?.name === 'worker')!;
    const waiting = await waitFor(() => (engine.jobs.get(worker.id).wait?.kind === 'dependency' ? engine.jobs.get(worker.id) : undefined), 'the worker to say why it waits');
    expect(waitText(waiting)).toBe('waiting for db to be healthy');
    writeFileSync(join(dir, 'ready'), '');
    expect((await waitForState(engine, worker.id, 'running')).wait).toBeUndefined();
  });

  it('its restart backoff: "restarting at HH:MM:SS", the run\'s own reason kept', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'exit 3' }, restart: { when: 'always', initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    const waiting = await waitFor(() => {
      const now = engine.jobs.get(job.id);
      return now.runCount === 1 && now.wait?.kind === 'backoff' ? now : undefined;
    }, 'the job to wait out its backoff');
    expect(waiting.state).toBe('queued');
    expect(waiting.wait).toEqual({ kind: 'backoff', at: waiting.restarts.nextAt });
    expect(describeWait(waiting.wait!, (at) => new Date(at).toISOString())).toBe(`restarting at ${new Date(waiting.restarts.nextAt!).toISOString()}`);
    expect(waitText(waiting)).toMatch(/^restarting at \d\d:\d\d:\d\d$/);
    expect(waiting.exitCode).toBe(3);
    expect(waiting.reason).toBeUndefined();
  });
});

