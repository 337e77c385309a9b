import { afterEach, describe, expect, it } from 'vitest';
import { createCommandHandlers } from '../../../electron/host/commandHandlers';
import { createDispatch } from '../../../electron/host/dispatch';
import { closeEngines, openEngine } from '../helpers';

afterEach(closeEngines);

describe('a 100,000-line batch', () => {
  it('is answered, and other requests are answered while it is admitted', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 2 } });
    const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' }));
    // Paused: what is measured is admission, not 100,000 jobs running.
    engine.scheduler.updateGroup('big', { paused: true });
    const lines = Array.from({ length: 100_000 }, (_, i) => `echo item ${i}`).join('\n');

    let submitted = false;
    const submit = dispatch('batches.submit', { lines, group: 'big' }).then((result) => {
      submitted = true;
      return result;
    });
    // A client asking for engine.info in a loop meanwhile: each answer that comes back before
    // the batch's own answer shows the engine took other requests while admitting it.
    let answeredDuring = 0;
    while (!submitted) {
      const info = await dispatch('engine.info', {});
      expect(info.ok).toBe(true);
      if (!submitted) answeredDuring++;
      // As the next request of a real client would, this one arrives in a later turn of the loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await submit;
    expect(result.ok).toBe(true);
    const batch = (result as { ok: true; value: { batch: { total: number; queued: number } } }).value.batch;
    expect(batch).toMatchObject({ total: 100_000, queued: 100_000 });
    expect(answeredDuring).toBeGreaterThan(10);
    expect(engine.scheduler.groups().find((g) => g.name === 'big')).toMatchObject({ queued: 100_000, running: 0 });
    expect(engine.scheduler.queueOrder()).toHaveLength(100_000);
  }, 120_000);

  it('a bad line refuses the whole batch, naming the line, and queues nothing', async () => {
    const engine = openEngine();
    const lines = ['echo ok', 'echo also ok', `echo ${'\0'}nul`].join('\n');
    await expect(engine.scheduler.submitBatch({ lines })).rejects.toThrow(/batch item 3 .*NUL/);
    expect(engine.jobs.list()).toEqual([]);
    expect(engine.scheduler.listBatches()).toEqual([]);
  });
});
