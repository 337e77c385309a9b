import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

function configFile(text: string, dir = tempDir('pdk-config-')): string {
  const path = join(dir, 'procdeck.yaml');
  writeFileSync(path, text);
  return path;
}

const idOf = async (engine: Engine, path: string, name: string) => (await engine.services.load(path)).jobs.find((j) => j.name === name)!.jobId;

describe('schedules and watches of declared jobs', () => {
  it('a schedule every second starts the job on its ticks and shows the next one', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const id = await idOf(engine, configFile('jobs:\n  tick:\n    command: "true"\n    schedule: "* * * * * *"\n'), 'tick');
    expect(engine.jobs.get(id).nextRunAt).toBeGreaterThan(Date.now() - 1000);
    const ran = await waitFor(() => (engine.jobs.get(id).runCount >= 2 && engine.jobs.get(id).state === 'exited' ? engine.jobs.get(id) : undefined), 'two scheduled runs');
    expect(ran).toMatchObject({ exitCode: 0, restarts: { lastReason: 'on schedule' } });
  });

  it('overlap skip: a tick while the run is active starts nothing', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const dir = tempDir('pdk-config-');
    const marks = join(dir, 'marks');
    mkdirSync(marks);
    // Each run leaves a file named after its pid, then lives on: a second run would leave a second file.
    const id = await idOf(engine, configFile(`jobs:\n  long:\n    command: "touch ${marks}/$$; exec sleep 300"\n    schedule: { cron: "* * * * * *", overlap: skip }\n`, dir), 'long');
    const running = await waitForState(engine, id, 'running');
    const firstTick = engine.jobs.get(id).nextRunAt!;
    // Two more ticks have passed once the next tick time has moved twice.
    await waitFor(() => engine.jobs.get(id).nextRunAt! >= firstTick + 2000, 'two more ticks');
    expect(engine.jobs.get(id)).toMatchObject({ runCount: 1, runId: running.runId, state: 'running' });
    expect(readdirSync(marks)).toHaveLength(1);
  });

  it('missed: run-once starts one run at the next load for the ticks missed while Procdeck was down', async () => {
    const dataDir = tempDir();
    const path = configFile('jobs:\n  catchup:\n    command: "true"\n    schedule: { cron: "* * * * * *", missed: run-once }\n');
    const first = openEngine({ dataDir });
    const id = await idOf(first, path, 'catchup');
    const ran = await waitFor(() => (first.jobs.get(id).state === 'exited' ? first.jobs.get(id) : undefined), 'a scheduled run');
    await first.shutdown();
    // The clock itself is the signal: a tick is missed once a whole second has passed since the run.
    await waitFor(() => Date.now() >= ran.startedAt! + 2000 || undefined, 'a missed tick');
    const second = openEngine({ dataDir });
    await second.services.load(path);
    expect(second.jobs.get(id).restarts.lastReason).toMatch(/^missed \d+ runs? while Procdeck was down .*; running once now$/);
    await waitFor(() => (second.jobs.get(id).runCount > ran.runCount ? true : undefined), 'the catch-up run');
  });

  it('watch restarts the service when a watched file is written, with the change as the reason', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const dir = tempDir('pdk-config-');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'app.txt'), 'v1');
    const id = await idOf(engine, configFile('jobs:\n  app:\n    command: [sleep, "300"]\n    autostart: true\n    watch: { paths: [./src], debounce: 100ms }\n', dir), 'app');
    const first = await waitForState(engine, id, 'running');
    await engine.services.watchesReady();
    writeFileSync(join(dir, 'src', 'app.txt'), 'v2');
    const again = await waitFor(() => {
      const job = engine.jobs.get(id);
      return job.runId !== first.runId && job.state === 'running' ? job : undefined;
    }, 'a restart after the write');
    expect(again.restarts.lastReason).toBe('watch: src/app.txt changed');
  });
});
