import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore, type StoreSources } from '../../electron/engine/store/jobStore';
import { definitionOfSnapshot, newSavedJob, statusOfSnapshot } from '../../electron/engine/store/savedJob';
import { jobSpecSchema } from '../../shared/jobSpec';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import { encodeSubmittedSnapshot, tempDir, waitFor } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const spec = jobSpecSchema.parse({ command: { kind: 'shell', script: 'true' } });
const job = (id: string, state: JobSnapshot['state'] = 'exited', runCount = 1): JobSnapshot => ({
  id,
  name: id,
  spec,
  state,
  runCount,
  queuedAt: 1,
  outputBytes: 0,
  stdinOpen: false,
  restarts: { automatic: 0, manual: 0 },
});

/** A store over an in-memory job list, as the engine's. */
function storeIn(dir: string, jobs: Map<string, JobSnapshot>, hooks: Partial<StoreSources> = {}, compactAfterBytes?: number) {
  const reports: string[] = [];
  const store = new JobStore(
    join(dir, 'jobs.json'),
    { jobIds: () => [...jobs.keys()], snapshot: (id) => jobs.get(id), batches: () => [], beforeCompaction: () => undefined, ...hooks },
    (m) => reports.push(m),
    { flushDelayMs: 5, ...(compactAfterBytes !== undefined && { compactAfterBytes }) },
  );
  return { store, reports };
}

/** What a new engine would read from `dir` (the previous one died: nothing was closed). */
function readBack(dir: string): Map<string, string> {
  const { store } = storeIn(dir, new Map());
  return new Map(store.load().jobs.map((j) => [j.id, `${j.state}/${j.runCount}`]));
}

const summary = (jobs: Map<string, JobSnapshot>) => new Map([...jobs.values()].map((j) => [j.id, `${j.state}/${j.runCount}`]));

describe('the job store (jobs.json and its journal)', () => {
  it('what a dead engine submitted, changed and removed is read back; the journal is folded into jobs.json as it grows', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const jobs = new Map<string, JobSnapshot>();
    const { store } = storeIn(dir, jobs, {}, 64 * 1024);
    store.load();
    store.compactNow();
    for (let i = 0; i < 300; i++) {
      const j = job(`j${i}`, 'exited');
      jobs.set(j.id, j);
      store.recordSubmitted([encodeSubmittedSnapshot(j)], 1);
    }
    for (let i = 0; i < 300; i += 3) {
      jobs.set(`j${i}`, job(`j${i}`, 'exited', 2));
      store.changed(`j${i}`);
    }
    for (let i = 1; i < 300; i += 10) {
      jobs.delete(`j${i}`);
      store.changed(`j${i}`);
    }
    // Flushed (5 ms later) and, past 64 KiB of journal, compacted in turns.
    await waitFor(() => {
      const segments = readdirSync(dir).filter((n) => n.startsWith('jobs.journal-'));
      return readBack(dir).size === jobs.size && segments.length <= 2 && !readdirSync(dir).some((n) => n.endsWith('.tmp'));
    }, 'the changes to be saved and the journal compacted');
    expect(readBack(dir)).toEqual(summary(jobs));
  });

  it('an engine that dies in the middle of a compaction leaves files that read back to everything it had saved', async () => {
    const dir = tempDir();
    const copy = tempDir();
    dirs.push(dir, copy);
    const jobs = new Map<string, JobSnapshot>();
    let compacting = false;
    let copied = false;
    const { store } = storeIn(
      dir,
      jobs,
      {
        beforeCompaction: () => (compacting = true),
        snapshot: (id) => {
          if (compacting && !copied) {
            // After the cut, before jobs.json is replaced: a new submission lands in the new
            // segment, then the engine "dies" (the directory is copied as it is now).
            const late = job('late', 'queued', 0);
            jobs.set(late.id, late);
            store.recordSubmitted([encodeSubmittedSnapshot(late)], 1);
            cpSync(dir, copy, { recursive: true });
            copied = true;
          }
          return jobs.get(id);
        },
      },
      16 * 1024,
    );
    store.load();
    for (let i = 0; i < 100; i++) {
      const j = job(`j${i}`);
      jobs.set(j.id, j);
      store.recordSubmitted([encodeSubmittedSnapshot(j)], 1);
    }
    await waitFor(() => copied, 'a compaction to start');
    const expected = summary(jobs);
    expected.set('late', 'skipped/0'); // a queued job of a dead engine is read back as not started
    expect(readBack(copy)).toEqual(expected);
    // And the compaction itself, left to finish, loses nothing either.
    await waitFor(() => !readdirSync(dir).some((n) => n.endsWith('.tmp')) && readBack(dir).size === jobs.size, 'the compaction to finish');
    expect(readBack(dir)).toEqual(expected);
  });

  it('a big batch saved but not yet all in memory is not compacted away: jobs.json waits until it is listed', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const jobs = new Map<string, JobSnapshot>();
    let compactionsWhileUnlisted = 0;
    let unlisted = false;
    const { store } = storeIn(dir, jobs, { beforeCompaction: () => void (unlisted && compactionsWhileUnlisted++) }, 1024);
    store.load();
    store.compactNow();
    const items = Array.from({ length: 40 }, (_, i) => job(`b${i}`, 'queued', 0));
    const batch = { id: 'b', name: 'b', group: 'g', jobIds: items.map((j) => j.id), createdAt: 1 };
    unlisted = true;
    // Far past the 1 KiB after which the journal is compacted.
    const saved = items.map((item) => newSavedJob(definitionOfSnapshot(item), statusOfSnapshot(item)));
    const submission = await store.recordBatchSubmitted(saved[0]!, [JobStore.encodeBatchItems(saved[0]!, saved)], items.length, batch);
    // Listed half-way, as admission does over several turns, and one of them changes: its
    // flush finds the journal grown, which would start a compaction at the next turn.
    for (const item of items.slice(0, 20)) jobs.set(item.id, item);
    jobs.set('b0', job('b0', 'exited', 1));
    store.changed('b0');
    await waitFor(() => readBack(dir).get('b0') === 'exited/1', 'the change to be flushed');
    expect(compactionsWhileUnlisted).toBe(0);
    expect(readBack(dir).size).toBe(items.length);

    for (const item of items.slice(20)) jobs.set(item.id, item);
    unlisted = false;
    submission.listed();
    await waitFor(
      () => readdirSync(dir).filter((n) => n.startsWith('jobs.journal-')).length <= 1 && !readdirSync(dir).some((n) => n.endsWith('.tmp')),
      'the journal to be compacted once the batch is listed',
    );
    const expected = summary(jobs);
    for (const item of items.slice(1)) expected.set(item.id, 'skipped/0'); // queued jobs of a dead engine: not started
    expect(readBack(dir)).toEqual(expected);
  });
});
