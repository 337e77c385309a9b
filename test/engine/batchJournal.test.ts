// A big batch's journal record: its items by what sets each apart from the first
// (store/batchItems.ts), read back as the same jobs as the whole-job record, which single jobs
// and small batches still write and every engine before wrote for big batches too.
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../electron/engine/store/jobStore';
import { newSavedJob, type SavedJob } from '../../electron/engine/store/savedJob';
import { readSavedJobs } from '../../electron/engine/store/savedJobs';
import { jobSpecSchema } from '../../shared/jobSpec';
import { closeEngines, openEngine, tempDir } from './helpers';

const dirs: string[] = [];
afterEach(async () => {
  await closeEngines();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What an engine opening `dir` would read (nothing was closed: the journal is as written). */
const readBack = (dir: string) => readSavedJobs(join(dir, 'jobs.json'), dir, new Set(), 20);

function storeIn(dir: string): JobStore {
  const store = new JobStore(
    join(dir, 'jobs.json'),
    { jobIds: () => [], snapshot: () => undefined, batches: () => [], beforeCompaction: () => undefined },
    () => undefined,
  );
  store.load();
  return store;
}

describe("a big batch's journal record", () => {
  it('reads back as the very jobs the same batch written whole does, an item that differs elsewhere included', async () => {
    const first = jobSpecSchema.parse({ name: 'b #1', command: { kind: 'shell', script: 'echo 1' }, group: 'g', cwd: '/tmp', timeoutMs: 5000, stdin: 'closed' });
    const at = 1_700_000_000_000;
    const specs = Array.from({ length: 30 }, (_, i) => ({ ...first, name: `b #${i + 1}`, command: { kind: 'shell' as const, script: `printf '%s\\n' "ü ${i}" \\\\` } }));
    // One item that is not like the others (another working directory): written whole, in its place.
    specs[7] = { ...specs[7]!, cwd: '/' };
    const jobs: SavedJob[] = specs.map((spec, i) =>
      newSavedJob(
        { id: `j${i}`, name: spec.name!, spec, labels: {}, createdAt: at + i, origin: 'batch', batchId: 'b' },
        { state: 'queued', runCount: 0, queuedAt: at + i, restarts: { automatic: 0, manual: 0 } },
      ),
    );
    const batch = { id: 'b', name: 'b', group: 'g', jobIds: jobs.map((j) => j.definition.id), createdAt: at, limit: 3 };

    const whole = tempDir();
    const byItems = tempDir();
    dirs.push(whole, byItems);
    storeIn(whole).recordSubmitted([JobStore.encodeSubmitted(jobs)], jobs.length, batch);
    const submission = await storeIn(byItems).recordBatchSubmitted(jobs[0]!, [JobStore.encodeBatchItems(jobs[0]!, jobs.slice(0, 10)), JobStore.encodeBatchItems(jobs[0]!, jobs.slice(10))], jobs.length, batch);
    submission.listed();

    const journal = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('jobs.journal-')).map((n) => readFileSync(join(dir, n), 'utf8')).join('');
    expect(journal(byItems)).toContain('"batchSubmitted"');
    expect(journal(byItems).length).toBeLessThan(journal(whole).length / 3);
    const [a, b] = [readBack(whole), readBack(byItems)];
    expect(b.problems).toEqual([]);
    expect(b.rejected).toBeUndefined();
    expect(b.jobs).toHaveLength(30);
    expect(b.jobs).toEqual(a.jobs);
    expect([...b.saved]).toEqual([...a.saved]);
    expect(b.batches).toEqual([batch]);
    expect(b.saved.get('j7')?.definition.spec.cwd).toBe('/');
  });

  it("a batch the engine admitted in slices comes back from the journal as it listed it, at a small part of the whole jobs' size", async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    engine.scheduler.updateGroup('big', { paused: true });
    const lines = Array.from({ length: 2500 }, (_, i) => `echo "item ${i}" 'ünïcode'`).join('\n');
    const batch = await engine.scheduler.submitBatch({ lines, group: 'big', cwd: '/tmp', timeoutMs: 60_000, limit: 4 });

    // The engine is still open: what is read is the journal as it was written.
    const segments = readdirSync(dataDir).filter((n) => n.startsWith('jobs.journal-'));
    const bytes = segments.reduce((n, name) => n + statSync(join(dataDir, name)).size, 0);
    expect(bytes / batch.total).toBeLessThan(150);
    const saved = readBack(dataDir);
    expect(saved.rejected).toBeUndefined();
    const listed = engine.jobs.list();
    expect(listed).toHaveLength(2500);
    // A dead engine's queued jobs come back as not started: everything else is as listed.
    const asSaved = (job: (typeof listed)[number]) => ({ id: job.id, name: job.name, spec: job.spec, queuedAt: job.queuedAt, batchId: job.batchId, runCount: job.runCount, restarts: job.restarts });
    expect(saved.jobs.map(asSaved)).toEqual(listed.map(asSaved));
    expect(saved.jobs.every((job) => job.state === 'skipped')).toBe(true);
    expect(saved.batches).toEqual([expect.objectContaining({ id: batch.id, jobIds: batch.jobIds, limit: 4 })]);
  });

  it('written whole by the engine before this change (the fixture, from main at f171fc8), it is still read', () => {
    const dataDir = tempDir();
    cpSync(join(import.meta.dirname, 'fixtures/main-batch-journal'), dataDir, { recursive: true });
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o600);
    const engine = openEngine({ dataDir });
    const [batch] = engine.scheduler.listBatches();
    expect(batch).toMatchObject({ name: 'made by main', group: 'fixture', total: 3 });
    const jobs = engine.jobs.list();
    expect(jobs.map((job) => [job.name, job.spec.command, job.spec.cwd, job.spec.timeoutMs, job.state])).toEqual([
      ['made by main #1', { kind: 'shell', script: 'echo one' }, '/tmp', 60_000, 'skipped'],
      ['made by main #2', { kind: 'shell', script: `printf '%s\\n' "two words"` }, '/tmp', 60_000, 'skipped'],
      ['made by main #3', { kind: 'shell', script: "echo 'three'" }, '/tmp', 60_000, 'skipped'],
    ]);
    expect(engine.openingNotices).toEqual([]);
  });
});
