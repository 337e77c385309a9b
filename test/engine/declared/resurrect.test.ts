import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

describe('resurrect and shutdown reasons', () => {
  it('starts again, after a normal shutdown, what was running with restart: always; says why each run ended', async () => {
    const dataDir = tempDir();
    const first = openEngine({ dataDir, settings: { maxConcurrent: 16 } });
    const always = first.jobs.start({ name: 'always', command: { kind: 'argv', program: 'sleep', args: ['300'] }, restart: { when: 'always' } });
    const once = first.jobs.start({ name: 'once', command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    const stoppedByHand = first.jobs.start({ name: 'stopped by hand', command: { kind: 'argv', program: 'sleep', args: ['300'] }, restart: { when: 'always' } });
    for (const job of [always, once, stoppedByHand]) await waitForState(first, job.id, 'running');
    first.jobs.stop(stoppedByHand.id);
    expect((await waitForState(first, stoppedByHand.id, 'killed')).reason).toBe('stopped by operator');
    await first.shutdown();

    const second = openEngine({ dataDir, settings: { maxConcurrent: 16 } });
    expect(second.jobs.get(once.id)).toMatchObject({ state: 'killed', reason: 'stopped when Procdeck shut down' });
    expect(second.jobs.get(stoppedByHand.id)).toMatchObject({ state: 'killed', reason: 'stopped by operator' });
    expect(second.jobs.runs(once.id)[0]).toMatchObject({ endedBy: 'engine-shutdown', reason: 'stopped when Procdeck shut down' });
    expect(second.jobs.runs(stoppedByHand.id)[0]).toMatchObject({ endedBy: 'operator' });
    const back = await waitForState(second, always.id, 'running');
    expect(back.restarts.lastReason).toBe('running when Procdeck shut down (restart: always)');
    expect(back.runCount).toBe(2);
    // Each normal shutdown writes the list afresh: the job that never had restart: always stays ended.
    await second.shutdown();
    const third = openEngine({ dataDir, settings: { maxConcurrent: 16 } });
    await waitForState(third, always.id, 'running');
    expect(third.jobs.get(once.id).state).toBe('killed');
  });

  it('finds its declared jobs again after a restart and autostarts them under the same ids', async () => {
    const dataDir = tempDir();
    const dir = tempDir('pdk-config-');
    const path = join(dir, 'procdeck.yaml');
    writeFileSync(path, 'jobs:\n  svc:\n    command: [sleep, "300"]\n    autostart: true\n');
    const first = openEngine({ dataDir });
    const loaded = await first.services.load(path);
    const id = loaded.jobs[0]!.jobId;
    await waitForState(first, id, 'running');
    await first.shutdown();
    const second = openEngine({ dataDir });
    const again = await second.services.load(path);
    expect(again.jobs[0]!.jobId).toBe(id);
    const job = await waitFor(() => (second.jobs.get(id).state === 'running' ? second.jobs.get(id) : undefined), 'svc running again');
    expect(job.runCount).toBe(2);
    expect(second.jobs.list().filter((j) => j.name === 'svc')).toHaveLength(1);
  });
});

describe('resurrect of a declared service', () => {
  it('a declared restart: always service running at shutdown comes back once, as the same job, when the file is loaded again', async () => {
    const dataDir = tempDir();
    const path = join(tempDir('pdk-config-'), 'procdeck.yaml');
    writeFileSync(path, 'jobs:\n  svc:\n    command: [sleep, "300"]\n    restart: always\n');
    const first = openEngine({ dataDir });
    const id = (await first.services.load(path)).jobs[0]!.jobId;
    first.jobs.restart(id);
    await waitForState(first, id, 'running');
    await first.shutdown();
    const second = openEngine({ dataDir });
    await second.services.load(path);
    const back = await waitForState(second, id, 'running');
    expect(back.declared).toEqual({ file: path, name: 'svc', autostart: false });
    expect(second.jobs.list().filter((job) => job.name === 'svc')).toHaveLength(1);
  });
});
