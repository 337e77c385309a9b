import { afterEach, describe, expect, it } from 'vitest';
import { closeEngines, groupMembers, openEngine, tempDir, waitFor, waitForState } from '../helpers';
import { readProcTable } from '../../../electron/engine/monitor/procTable';

afterEach(closeEngines);

describe('pool and queue', () => {
  it('never runs more than the limit (sampled from /proc) while 50 jobs run through limit 3', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 3 } });
    const marker = `pool-${process.pid}-${Date.now()}`;
    const ids = Array.from({ length: 50 }, () => engine.jobs.start({ command: { kind: 'shell', script: `sleep 0.05; : ${marker}` } }).id);
    let maxSeen = 0;
    let samples = 0;
    // One sample per poll of the wait helper until every job has ended.
    await waitFor(
      () => {
        // Count live shells of this test by their job groups, straight from the kernel.
        const pgids = new Set(ids.map((id) => engine.jobs.get(id).pgid).filter((p): p is number => p !== undefined));
        const live = new Set([...readProcTable().processes.values()].filter((p) => pgids.has(p.pgid) && p.state !== 'Z').map((p) => p.pgid));
        maxSeen = Math.max(maxSeen, live.size);
        expect(ids.filter((id) => ['running', 'starting', 'stopping'].includes(engine.jobs.get(id).state)).length).toBeLessThanOrEqual(3);
        samples++;
        return ids.every((id) => engine.jobs.get(id).state === 'exited');
      },
      'all 50 jobs to end',
      60_000,
    );
    expect(samples).toBeGreaterThan(10);
    expect(maxSeen).toBeGreaterThan(0);
    expect(maxSeen).toBeLessThanOrEqual(3);
  }, 60_000);

  it('holds under rapid submit and cancel', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 2 } });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(engine.jobs.start({ command: { kind: 'shell', script: 'sleep 0.1' } }).id);
      if (i % 3 === 0) engine.jobs.stop(ids[ids.length - 1]!);
      expect(engine.jobs.list().filter((j) => j.state === 'running' || j.state === 'starting').length).toBeLessThanOrEqual(2);
    }
    for (const id of ids) await waitFor(() => !['queued', 'running', 'starting', 'stopping'].includes(engine.jobs.get(id).state), `job ${id} to end`, 20_000);
    expect(engine.jobs.list().filter((j) => j.state === 'skipped' && j.reason === 'cancelled while queued').length).toBeGreaterThan(0);
  }, 30_000);

  it('starts higher priority first, and equal priority first-in first-out', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 1 } });
    const blocker = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 0.3' } });
    await waitForState(engine, blocker.id, 'running');
    const low = engine.jobs.start({ name: 'low', command: { kind: 'shell', script: 'true' }, priority: -1 });
    const a = engine.jobs.start({ name: 'a', command: { kind: 'shell', script: 'true' } });
    const b = engine.jobs.start({ name: 'b', command: { kind: 'shell', script: 'true' } });
    const high = engine.jobs.start({ name: 'high', command: { kind: 'shell', script: 'true' }, priority: 5 });
    expect(engine.scheduler.queueOrder()).toEqual([high.id, a.id, b.id, low.id]);
    await waitForState(engine, blocker.id, 'exited');
    const ends = await Promise.all([high, a, b, low].map((j) => waitForState(engine, j.id, 'exited')));
    const order = ends.sort((x, y) => x.startedAt! - y.startedAt!).map((j) => j.name);
    expect(order).toEqual(['high', 'a', 'b', 'low']);
  });

  it('group limits, paused groups, and a live limit change', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 8 } });
    engine.scheduler.updateGroup('g', { limit: 1 });
    const ids = [1, 2, 3].map(() => engine.jobs.start({ command: { kind: 'shell', script: 'sleep 0.3' }, group: 'g' }).id);
    await waitForState(engine, ids[0]!, 'running');
    expect(engine.scheduler.groups().find((g) => g.name === 'g')).toMatchObject({ limit: 1, running: 1, queued: 2 });
    engine.scheduler.updateGroup('g', { paused: true });
    await waitForState(engine, ids[0]!, 'exited');
    // The slot it freed was handed out (or not) by the pump of the turn it ended in, which has
    // run by now (a setImmediate, before the wait helper's next timer): the group is paused.
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.jobs.get(ids[1]!).state).toBe('queued');
    expect(engine.scheduler.groups().find((g) => g.name === 'g')).toMatchObject({ running: 0, queued: 2 });
    engine.scheduler.updateGroup('g', { paused: false, limit: 2 });
    await waitForState(engine, ids[1]!, 'running');
    expect(engine.jobs.get(ids[2]!).state).toBe('running');
  });
});

describe('queue positions', () => {
  it('go out as one throttled order list, not as a changed snapshot per queued job', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 1 } });
    const orders: string[][] = [];
    const orderTimes: number[] = [];
    let queuedSnapshots = 0;
    engine.events.on('queue.changed', ({ order }) => {
      orders.push(order);
      orderTimes.push(Date.now());
    });
    engine.events.on('jobs.changed', ({ jobs }) => (queuedSnapshots += jobs.filter((j) => j.state === 'queued').length));
    const ids = Array.from({ length: 40 }, (_, i) => engine.jobs.start({ name: `q${i}`, command: { kind: 'shell', script: 'sleep 0.02' } }).id);
    await waitFor(() => ids.every((id) => engine.jobs.get(id).state === 'exited'), 'all 40 jobs to end', 20_000);
    await waitFor(() => orders.at(-1)?.length === 0, 'the emptied queue to be pushed', 2_000);
    // Each job is pushed queued about once (on submit), not again for every start before it.
    expect(queuedSnapshots).toBeLessThan(80);
    // The first list: the jobs not yet started, in submit order.
    const first = orders[0]!;
    expect(first.length).toBeGreaterThanOrEqual(30);
    expect(first).toEqual(ids.slice(ids.length - first.length));
    for (let i = 1; i < orderTimes.length; i++) expect(orderTimes[i]! - orderTimes[i - 1]!).toBeGreaterThanOrEqual(240);
    expect(engine.scheduler.queueOrder()).toEqual([]);
  }, 30_000);
});

describe('dependencies', () => {
  it('a dependant starts after its dependency succeeds, and is skipped when it fails', async () => {
    const engine = openEngine();
    const first = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 0.2' } });
    const after = engine.jobs.start({ command: { kind: 'shell', script: 'true' }, dependsOn: [first.id] });
    const bad = engine.jobs.start({ command: { kind: 'shell', script: 'exit 2' } });
    const skipped = engine.jobs.start({ command: { kind: 'shell', script: 'true' }, dependsOn: [bad.id, first.id] });
    expect(engine.jobs.get(after.id).state).toBe('queued');
    const ok = await waitForState(engine, after.id, 'exited');
    expect(ok.startedAt!).toBeGreaterThanOrEqual(engine.jobs.get(first.id).endedAt!);
    const s = await waitForState(engine, skipped.id, 'skipped');
    expect(s.reason).toMatch(/did not succeed: exit code 2/);
    expect(() => engine.jobs.start({ command: { kind: 'shell', script: 'true' }, dependsOn: ['nope'] })).toThrow(/no job with id nope/);
  });

  it('a dependant free to start waits again if its dependency is restarted before it starts', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 1 } });
    const dep = engine.jobs.start({ name: 'dep', command: { kind: 'shell', script: 'true' } });
    await waitForState(engine, dep.id, 'exited');
    const blocker = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    await waitForState(engine, blocker.id, 'running');
    const after = engine.jobs.start({ name: 'after', command: { kind: 'shell', script: 'true' }, dependsOn: [dep.id] });
    engine.jobs.restart(dep.id); // queued behind `after`, which must now wait for it
    engine.jobs.stop(blocker.id);
    const ended = await waitForState(engine, after.id, 'exited');
    const depNow = await waitForState(engine, dep.id, 'exited');
    expect(depNow.runCount).toBe(2);
    expect(ended.startedAt!).toBeGreaterThanOrEqual(depNow.endedAt!);
  });

  it('a dependency that succeeded before an engine restart counts as done', async () => {
    const dataDir = tempDir();
    const before = openEngine({ dataDir });
    const dep = before.jobs.start({ name: 'dep', command: { kind: 'shell', script: 'true' } });
    await waitForState(before, dep.id, 'exited');
    await before.shutdown();
    const engine = openEngine({ dataDir });
    expect(engine.jobs.get(dep.id)).toMatchObject({ state: 'exited', exitCode: 0 });
    const after = engine.jobs.start({ name: 'after', command: { kind: 'shell', script: 'true' }, dependsOn: [dep.id] });
    const ended = await waitForState(engine, after.id, ['exited', 'skipped']);
    expect(ended.reason).toBeUndefined();
    expect(ended).toMatchObject({ state: 'exited', exitCode: 0 });
  });

  it('stop of a queued job cancels it without spawning', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 1 } });
    const running = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    const queued = engine.jobs.start({ command: { kind: 'shell', script: 'true' } });
    await waitForState(engine, running.id, 'running');
    expect(engine.jobs.stop(queued.id).state).toBe('skipped');
    expect(engine.jobs.get(queued.id).runCount).toBe(0);
    expect(engine.jobs.get(queued.id).pid).toBeUndefined();
    expect(groupMembers(engine.jobs.get(running.id).pgid!).length).toBeGreaterThan(0);
  });
});
