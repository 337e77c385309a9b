import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../../shared/jobSpec';
import { Engine } from '../../electron/engine/engine';
import { closeEngines, openEngine, tempDir } from './helpers';
import { engineChild, type EngineAnswer } from './submitChildProcess';

afterEach(closeEngines);

describe('acknowledged submissions', () => {
  it('every answered jobs.start and batches.submit is there after the engine is SIGKILLed mid-stream', async () => {
    const dataDir = tempDir();
    // An engine with a history: 3000 finished jobs saved (saving all of them took long enough
    // for answers to overtake the save, when the save came after the answer).
    const spec = jobSpecSchema.parse({ command: { kind: 'shell', script: 'true' } });
    const history = Array.from({ length: 3000 }, (_, i) => ({ id: `old${i}`, name: `old ${i}`, spec, state: 'exited', exitCode: 0, runCount: 1, queuedAt: i, outputBytes: 0, stdinOpen: false }));
    writeFileSync(join(dataDir, 'jobs.json'), JSON.stringify({ version: 1, jobs: history }));
    const { child, exited } = await engineChild(dataDir);

    const total = 1000;
    const killAfter = 500;
    const acknowledged: string[] = [];
    const acknowledgedBatches: string[] = [];
    let answers = 0;
    const killed = new Promise<void>((resolve) => {
      child.on('message', (message: EngineAnswer) => {
        if (answers >= killAfter) return; // sent before the kill landed: not counted as heard
        answers++;
        const { result } = message;
        if (result.ok) {
          const value = result.value as { job?: { id: string }; batch?: { id: string; jobIds: string[] } };
          if (value.job) acknowledged.push(value.job.id);
          if (value.batch) {
            acknowledged.push(...value.batch.jobIds);
            acknowledgedBatches.push(value.batch.id);
          }
        }
        if (answers === killAfter) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    // All at once, as a client pipelining requests would: every tenth is a small batch.
    for (let id = 0; id < total; id++) {
      if (id % 10 === 9) child.send({ id, name: 'batches.submit', request: { lines: 'true\ntrue\ntrue' } });
      else child.send({ id, name: 'jobs.start', request: { spec: { command: { kind: 'shell', script: 'true' } } } });
    }
    await killed;
    await exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    const engine = openEngine({ dataDir });
    const listed = new Set(engine.jobs.list().map((job) => job.id));
    expect(listed.size).toBeGreaterThanOrEqual(3000 + acknowledged.length);
    const lost = acknowledged.filter((id) => !listed.has(id));
    expect(lost, `${lost.length} of ${acknowledged.length} acknowledged jobs are gone`).toEqual([]);
    // Their batches come back too.
    expect(acknowledgedBatches.length).toBeGreaterThan(0);
    const batches = new Set(engine.scheduler.listBatches().map((b) => b.id));
    expect(acknowledgedBatches.filter((id) => !batches.has(id))).toEqual([]);
    expect(engine.openingNotices.filter((n) => !/journal records|never answered/.test(n))).toEqual([]);
  }, 120_000);

  it('is on disk by the time the answer is produced, before the engine gets another turn', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: { maxConcurrent: 1 } });
    // Read synchronously right after the call returns: no timer or immediate has run since.
    const onDisk = (id: string) =>
      readdirSync(dataDir)
        .filter((name) => name === 'jobs.json' || name.startsWith('jobs.journal'))
        .some((name) => readFileSync(join(dataDir, name), 'utf8').includes(`"${id}"`));
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'true' } });
    expect(onDisk(job.id)).toBe(true);
    const batch = await engine.scheduler.submitBatch({ lines: 'true\ntrue' });
    expect(batch.jobIds.every(onDisk)).toBe(true);
    expect(onDisk(batch.id)).toBe(true);
  });

  it('a big batch the engine shuts down while listing is all there at the next open, its jobs not started', async () => {
    const dataDir = tempDir();
    const engine = Engine.open({ dataDir });
    engine.scheduler.updateGroup('big', { paused: true });
    const lines = Array.from({ length: 10_000 }, (_, i) => `echo ${i}`).join('\n');
    let answered = false;
    const submit = engine.scheduler.submitBatch({ lines, group: 'big' }).then(
      () => (answered = true),
      (error: Error) => error,
    );
    // Saved (the batch is known) but not answered: its jobs are listed a thousand a turn.
    const batchId = await waitForTurn(() => engine.scheduler.listBatches()[0]?.id);
    expect(answered, 'the batch was answered before the engine could be shut down while listing it').toBe(false);
    await engine.shutdown();
    expect(await submit).toMatchObject({ message: expect.stringMatching(/jobs were queued, the others are saved as not started/) });

    // Kept beyond the default 5000 finished jobs: skipped ones are finished.
    const reopened = openEngine({ dataDir, settings: { finishedJobsKept: 20_000 } });
    const batch = reopened.scheduler.listBatches().find((b) => b.id === batchId);
    expect(batch?.total).toBe(10_000);
    const items = reopened.jobs.list().filter((job) => job.batchId === batchId);
    expect(items).toHaveLength(10_000);
    expect(items.every((job) => job.state === 'skipped' && job.runCount === 0)).toBe(true);
  }, 60_000);
});

/** Polls once per event-loop turn (a timer-based poll could miss a state that lasts a few turns). */
async function waitForTurn<T>(probe: () => T | undefined): Promise<T> {
  for (let turn = 0; turn < 100_000; turn++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the batch was never saved');
}
