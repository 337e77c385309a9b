import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../helpers';

// Schedules every second against the real clock (no fake timers): each test waits for the
// ticks themselves (the next tick time moving on), never for a fixed time.

afterEach(closeEngines);

function configFile(text: string, dir = tempDir('pdk-config-')): string {
  const path = join(dir, 'procdeck.yaml');
  writeFileSync(path, text);
  return path;
}

const idOf = async (engine: Engine, path: string, name: string) => (await engine.services.load(path)).jobs.find((j) => j.name === name)!.jobId;

/** Resolves once `ticks` more ticks of the job's schedule have passed. */
async function ticksPass(engine: Engine, id: string, ticks: number): Promise<void> {
  const next = engine.jobs.get(id).nextRunAt!;
  await waitFor(() => engine.jobs.get(id).nextRunAt! >= next + ticks * 1000, `${ticks} more ticks of the schedule`);
}

describe('schedule overlap and missed runs, every second', () => {
  it('overlap queue: ticks while the run is active keep one start, which follows the end of the run at once', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const dir = tempDir('pdk-config-');
    const marks = join(dir, 'marks');
    mkdirSync(marks);
    // A run marks itself, then lives until it finds "go", which it takes: the next run waits for the next "go".
    const script = `touch ${marks}/$$; while ! rm ${dir}/go 2>/dev/null; do sleep 0.05; done`;
    const id = await idOf(engine, configFile(`jobs:\n  batch:\n    command: '${script}'\n    schedule: { cron: "* * * * * *", overlap: queue }\n`, dir), 'batch');
    const first = await waitForState(engine, id, 'running');
    await ticksPass(engine, id, 2);
    expect(engine.jobs.get(id)).toMatchObject({ runCount: 1, runId: first.runId });
    writeFileSync(join(dir, 'go'), '');
    const second = await waitFor(() => {
      const job = engine.jobs.get(id);
      return job.runCount === 2 && job.state === 'running' ? job : undefined;
    }, 'the queued tick to start a second run');
    expect(second.restarts.lastReason).toBe('on schedule (queued behind the previous run, overlap: queue)');
    // One queued tick, not one per tick missed meanwhile: still the second run, still waiting for its "go".
    await ticksPass(engine, id, 2);
    expect(engine.jobs.get(id)).toMatchObject({ runCount: 2, runId: second.runId, state: 'running' });
    expect(readdirSync(marks)).toHaveLength(2);
  });

  it('the next run time is pushed to clients at every tick, also while ticks are skipped', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const seen: JobSnapshot[] = [];
    engine.events.on('jobs.changed', ({ jobs }) => seen.push(...jobs));
    const id = await idOf(engine, configFile('jobs:\n  long:\n    command: [sleep, "300"]\n    schedule: { cron: "* * * * * *", overlap: skip }\n'), 'long');
    const running = await waitForState(engine, id, 'running');
    await waitFor(() => seen.some((j) => j.id === id && j.state === 'running'), 'the running snapshot to be pushed');
    const since = seen.length;
    await ticksPass(engine, id, 2);
    await waitFor(() => {
      const pushed = seen.slice(since).filter((j) => j.id === id);
      return pushed.length > 0 && pushed.at(-1)!.nextRunAt! >= engine.jobs.get(id).nextRunAt!;
    }, 'the current next run time to be pushed');
    const pushed = seen.slice(since).filter((j) => j.id === id);
    expect(pushed.every((j) => j.runId === running.runId && j.state === 'running')).toBe(true);
    expect(pushed.at(-1)!.nextRunAt!).toBeGreaterThan(running.nextRunAt!);
  });

  it('missed: skip starts nothing at the next load for the ticks missed while Procdeck was down, and ticks on', async () => {
    const dataDir = tempDir();
    const dir = tempDir('pdk-config-');
    const path = configFile(`jobs:\n  nightly:\n    command: "true"\n    schedule: { cron: "* * * * * *", missed: skip }\n`, dir);
    const first = openEngine({ dataDir });
    const id = await idOf(first, path, 'nightly');
    const ran = await waitFor(() => (first.jobs.get(id).state === 'exited' ? first.jobs.get(id) : undefined), 'a scheduled run');
    await first.shutdown();
    // The clock itself is the signal: ticks are missed once whole seconds have passed since the run.
    await waitFor(() => Date.now() >= ran.startedAt! + 3000 || undefined, 'missed ticks');
    const second = openEngine({ dataDir });
    const loadedAt = Date.now();
    await second.services.load(path);
    const after = second.jobs.get(id);
    expect(after.runCount).toBe(ran.runCount);
    expect(after.state).toBe('exited');
    // It goes on with the next tick, not with a catch-up run: the next run starts on a tick after the load.
    const next = await waitFor(() => (second.jobs.get(id).runCount > ran.runCount ? second.jobs.get(id) : undefined), 'the next scheduled run');
    expect(next.restarts.lastReason).toBe('on schedule');
    expect(next.startedAt!).toBeGreaterThanOrEqual(Math.floor(loadedAt / 1000) * 1000);
  });
});

describe('schedule overlap allow, every second', () => {
  it('a tick while the run is active starts a one-off copy beside it, which does not restart; the job keeps its run', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const dir = tempDir('pdk-config-');
    const marks = join(dir, 'marks');
    mkdirSync(marks);
    const id = await idOf(engine, configFile(`jobs:\n  sweep:\n    command: "touch ${marks}/$$; exec sleep 300"\n    restart: always\n    schedule: { cron: "* * * * * *", overlap: allow }\n`, dir), 'sweep');
    const first = await waitForState(engine, id, 'running');
    const copies = await waitFor(() => {
      const found = engine.jobs.list().filter((j) => j.name.startsWith('sweep@') && j.state === 'running');
      return found.length >= 2 ? found : undefined;
    }, 'two runs beside the active one');
    expect(engine.jobs.get(id)).toMatchObject({ runCount: 1, runId: first.runId, state: 'running' });
    for (const copy of copies) {
      expect(copy.name).toMatch(/^sweep@\d\d:\d\d:\d\d$/);
      expect(copy.restarts.lastReason).toBe('on schedule, beside the run still active (overlap: allow)');
      expect(copy.spec).toMatchObject({ command: first.spec.command, cwd: first.spec.cwd, restart: { when: 'never' }, dependsOn: [] });
      expect(copy.declared).toBeUndefined();
    }
    // Each copy is a process of its own, beside the job's: one mark per run.
    await waitFor(() => readdirSync(marks).length >= 3 || undefined, 'a mark of every run');
    // A copy that is stopped stays stopped (no restart, no schedule of its own).
    engine.jobs.stop(copies[0]!.id);
    const stopped = await waitForState(engine, copies[0]!.id, ['exited', 'killed']);
    await ticksPass(engine, id, 2);
    expect(engine.jobs.get(copies[0]!.id)).toMatchObject({ runCount: 1, runId: stopped.runId, state: stopped.state });
  });
});
