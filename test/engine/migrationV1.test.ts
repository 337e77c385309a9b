import { chmodSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobSnapshotSchema } from '../../shared/jobSnapshot';
import { savedJobSchema } from '../../electron/engine/store/savedJob';
import { closeEngines, openEngine, tempDir } from './helpers';

afterEach(closeEngines);

const FIXTURE = join(import.meta.dirname, 'fixtures/v1-data-dir');
/** What the engine before the definitions-and-runs store showed of the fixture once opened (jobs.list, batches.list, recovery, notices). */
const expected = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/v1-data-dir.expected.json'), 'utf8')) as {
  jobs: unknown[];
  batches: { createdAt: number; finishedAt: number }[];
  recovered: unknown[];
  notices: string[];
};
// Parsed by today's schema: the specs gain the placement they had implicitly (`where: local`).
const expectedJobs = expected.jobs.map((job) => jobSnapshotSchema.parse(job));
// The file leaves out what batches.list computes from the others (every batch of the fixture has finished).
const expectedBatches = expected.batches.map((batch) => ({ ...batch, elapsedMs: batch.finishedAt - batch.createdAt }));

/** A copy of a data directory the version-1 engine left: jobs.json, a journal segment after it, a job it left running, the run logs. */
function v1DataDir(): string {
  const dir = tempDir();
  cpSync(FIXTURE, dir, { recursive: true });
  // A checkout has the files 0644; the engine that wrote them made them private.
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
  return dir;
}

describe('a data directory of jobs.json version 1', () => {
  it('opens with every job, batch and reason as before, each job a definition with its run; saved as version 2, it reads back the same', async () => {
    const dataDir = v1DataDir();
    const engine = openEngine({ dataDir });
    expect(engine.jobs.list()).toEqual(expectedJobs);
    expect(engine.scheduler.listBatches()).toEqual(expectedBatches);
    expect(engine.recovered).toEqual(expected.recovered);
    expect(engine.openingNotices).toEqual(expected.notices);

    // Opening folded the journal into jobs.json, now version 2: every job as its definition, status and runs.
    const saved = JSON.parse(readFileSync(join(dataDir, 'jobs.json'), 'utf8')) as { version: number; jobs: unknown[] };
    expect(saved.version).toBe(2);
    expect(saved.jobs).toHaveLength(expectedJobs.length);
    for (const job of saved.jobs) expect(savedJobSchema.safeParse(job).success).toBe(true);

    // A version-1 job remembers its latest run only: that is its run history, with the log it wrote.
    const hello = engine.jobs.runs('jmx5bn4we0');
    expect(hello).toMatchObject([{ runId: 'rmx5bn5jg8', jobId: 'jmx5bn4we0', number: 2, state: 'exited', exitCode: 0, pid: 21726, pgid: 21726 }]);
    expect(readFileSync(hello[0]!.log.path, 'utf8')).toContain('hello');
    // The crash-looping verdict is the job's; its run exited (code 1).
    expect(engine.jobs.runs('jmx5bn5do3')).toMatchObject([{ number: 2, state: 'exited', exitCode: 1 }]);
    // The job the dead engine left running: its run ended with that engine.
    expect(engine.jobs.runs('jmx5bn8rf0')).toMatchObject([{ state: 'killed', endedBy: 'engine-died', reason: 'the engine stopped while this job was active' }]);
    // Never run: no runs.
    expect(engine.jobs.runs('jmx5bn5fr4')).toEqual([]);
    const runsBefore = expectedJobs.map((job) => engine.jobs.runs(job.id));
    await engine.shutdown();

    const reopened = openEngine({ dataDir });
    expect(reopened.jobs.list()).toEqual(expectedJobs);
    expect(reopened.scheduler.listBatches()).toEqual(expectedBatches);
    expect(reopened.openingNotices).toEqual([]);
    expect(expectedJobs.map((job) => reopened.jobs.runs(job.id))).toEqual(runsBefore);
  });
});
