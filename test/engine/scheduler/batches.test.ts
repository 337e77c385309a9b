import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expandBatch, shellQuote } from '../../../electron/engine/scheduler/batches';
import type { BatchProgress, GroupInfo } from '../../../shared/scheduling';
import { closeEngines, openEngine, tailText, tempDir, waitFor } from '../helpers';

afterEach(closeEngines);

describe('batches', () => {
  it('expands pasted lines and templates (inputs shell-quoted)', () => {
    expect(expandBatch({ lines: 'echo a\n\n# note\n  echo b  ' })).toEqual(['echo a', 'echo b']);
    expect(expandBatch({ template: 'echo {}', inputs: "x\nit's" })).toEqual(["echo 'x'", `echo ${shellQuote("it's")}`]);
    expect(() => expandBatch({ template: 'echo', inputs: 'x' })).toThrow(/no \{\}/);
  });

  it('runs in its own group at its limit, counts progress, and retries the failed', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 8 } });
    const updates: BatchProgress[] = [];
    engine.events.on('batches.changed', ({ batches }) => updates.push(...batches));
    const groupUpdates: GroupInfo[][] = [];
    engine.events.on('groups.changed', ({ groups }) => groupUpdates.push(groups));
    // Each item waits for its own file to appear: the test decides when each may end.
    const gates = mkdtempSync(join(tmpdir(), 'procdeck-batch-gates-'));
    const release = (...items: string[]) => items.forEach((item) => writeFileSync(join(gates, item), ''));
    const batch = await engine.scheduler.submitBatch({ template: `while [ ! -e ${gates}/{} ]; do sleep 0.02; done; test {} != bad`, inputs: 'a\nbad\nb\nc', limit: 2 });
    expect(batch).toMatchObject({ total: 4, queued: 4 });
    try {
      await waitFor(() => engine.scheduler.listBatches()[0]!.running === 2, 'two items running');
      await waitFor(() => updates.some((u) => u.running === 2), 'a pushed update with two running');
      release('a', 'bad');
      await waitFor(() => updates.some((u) => u.succeeded + u.failed === 2 && u.running === 2 && u.etaMs !== undefined), 'an update with two done, two running and an estimate');
      release('b', 'c');
      const done = await waitFor(() => {
        const b = engine.scheduler.listBatches()[0]!;
        return b.finishedAt ? b : undefined;
      }, 'the batch to finish');
      expect(done).toMatchObject({ total: 4, succeeded: 3, failed: 1, running: 0, queued: 0 });
      expect(updates.every((u) => u.running <= 2)).toBe(true);
      // The batch's group is pushed as it fills and drains, without anyone asking.
      expect(groupUpdates.some((gs) => gs.some((g) => g.name === batch.group && g.limit === 2 && g.running === 2))).toBe(true);

      const retried = engine.scheduler.retryFailed(batch.id);
      expect(retried.failed).toBe(0);
      expect(retried.queued + retried.running).toBe(1);
      await waitFor(() => engine.scheduler.listBatches()[0]!.finishedAt !== undefined, 'retry to finish');
      expect(engine.scheduler.listBatches()[0]).toMatchObject({ succeeded: 3, failed: 1 });
      const failedJob = engine.jobs.list().find((j) => j.batchId === batch.id && j.exitCode === 1)!;
      expect(failedJob.runCount).toBe(2);
    } finally {
      rmSync(gates, { recursive: true, force: true });
    }
  });

  it("keeps its limit across a restart: the batch's group has it again, for the items retried then", async () => {
    const dataDir = tempDir();
    const gates = mkdtempSync(join(tmpdir(), 'procdeck-batch-gates-'));
    // The first time round every item fails at once; retried, each waits for its own gate.
    const template = `if [ -e ${gates}/again ]; then while [ ! -e ${gates}/{} ]; do sleep 0.02; done; else exit 1; fi`;
    try {
      let engine = openEngine({ dataDir });
      const batch = await engine.scheduler.submitBatch({ template, inputs: 'a\nb\nc', limit: 1 });
      await waitFor(() => engine.scheduler.listBatches()[0]!.finishedAt !== undefined, 'the batch to finish');
      await engine.shutdown();
      engine = openEngine({ dataDir });
      expect(engine.scheduler.groups()).toContainEqual(expect.objectContaining({ name: batch.group, limit: 1, running: 0 }));
      writeFileSync(join(gates, 'again'), '');
      engine.scheduler.retryFailed(batch.id);
      const items = () => batch.jobIds.map((id) => engine.jobs.get(id));
      const waiting = await waitFor(() => {
        const jobs = items();
        return jobs.filter((j) => j.state === 'running').length === 1 && jobs.filter((j) => j.wait?.kind === 'group').length === 2 && jobs;
      }, 'one item running, two waiting for the batch group');
      for (const job of waiting.filter((j) => j.state !== 'running')) expect(job.wait).toEqual({ kind: 'group', group: batch.group, running: 1, limit: 1 });
      for (const item of ['a', 'b', 'c']) writeFileSync(join(gates, item), '');
      const done = await waitFor(() => items().every((j) => j.runCount === 2 && j.state === 'exited') && items(), 'every item to have run again');
      expect(done.map((j) => j.exitCode)).toEqual([0, 0, 0]);
    } finally {
      rmSync(gates, { recursive: true, force: true });
    }
  });

  it('stop-the-batch cancels queued items and stops running ones', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 8 } });
    const batch = await engine.scheduler.submitBatch({ lines: 'sleep 300\nsleep 300\nsleep 300\necho never', limit: 2 });
    await waitFor(() => engine.scheduler.listBatches()[0]!.running === 2, 'two running');
    const stopped = engine.scheduler.stopBatch(batch.id);
    expect(stopped.queued).toBe(0);
    await waitFor(() => engine.scheduler.listBatches()[0]!.finishedAt !== undefined, 'the batch to end');
    const jobs = engine.jobs.list().filter((j) => j.batchId === batch.id);
    expect(jobs.filter((j) => j.state === 'killed')).toHaveLength(2);
    expect(jobs.filter((j) => j.state === 'skipped')).toHaveLength(2);
    expect(tailText(engine, jobs[3]!.id)).toBe('');
  });

  it('an empty batch is refused with a clear error', async () => {
    const engine = openEngine();
    await expect(engine.scheduler.submitBatch({ lines: '\n# only a comment\n' })).rejects.toThrow(/no commands/);
  });
});
