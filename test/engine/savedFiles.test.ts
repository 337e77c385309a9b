import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../../shared/jobSpec';
import { closeEngines, openEngine, tempDir, waitForState } from './helpers';
import { ask, engineChild } from './submitChildProcess';

afterEach(closeEngines);

const spec = jobSpecSchema.parse({ command: { kind: 'shell', script: 'true' } });
const finishedJob = (id: string, queuedAt: number) => ({ id, name: id, spec, state: 'exited', exitCode: 0, runCount: 1, queuedAt, outputBytes: 0, stdinOpen: false });
const saveJobs = (dataDir: string, jobs: unknown[]) => writeFileSync(join(dataDir, 'jobs.json'), JSON.stringify({ version: 1, jobs }));
const asideOf = (dataDir: string, name: string) => readdirSync(dataDir).filter((n) => n.startsWith(`${name}.unreadable-`));

describe('a saved file replaced by something else', () => {
  it('jobs.json as a directory: reported and set aside at start, and saving goes on without killing the engine', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'jobs.json'));
    writeFileSync(join(dataDir, 'jobs.json', 'inside'), 'kept');
    const engine = openEngine({ dataDir });
    expect(engine.openingNotices.join('\n')).toMatch(/could not read saved jobs \(EISDIR: illegal operation on a directory.*\); the file was moved to .*jobs\.json\.unreadable-\d+/);
    const [aside] = asideOf(dataDir, 'jobs.json');
    expect(readFileSync(join(dataDir, aside!, 'inside'), 'utf8')).toBe('kept');
    const job = engine.jobs.start({ name: 'after', command: { kind: 'shell', script: 'true' } });
    await waitForState(engine, job.id, 'exited');
    await engine.shutdown();
    expect(statSync(join(dataDir, 'jobs.json')).isFile()).toBe(true);
    const reopened = openEngine({ dataDir });
    expect(reopened.jobs.list().map((j) => j.name)).toEqual(['after']);
    expect(reopened.openingNotices).toEqual([]);
  });

  it('jobs.json turned into a directory while running: the failed save is reported, never thrown, and the journal keeps the jobs', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    const notices: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));
    const job = engine.jobs.start({ name: 'survivor', command: { kind: 'shell', script: 'true' } });
    await waitForState(engine, job.id, 'exited');
    rmSync(join(dataDir, 'jobs.json'));
    mkdirSync(join(dataDir, 'jobs.json', 'blocker'), { recursive: true });
    await engine.shutdown(); // compacts into jobs.json: fails, and says so
    expect(notices.join('\n')).toMatch(/could not save jobs to .*jobs\.json \((EISDIR|ENOTEMPTY|EEXIST).*saving is retried/);
    rmSync(join(dataDir, 'jobs.json'), { recursive: true });
    const reopened = openEngine({ dataDir });
    expect(reopened.jobs.list().map((j) => [j.name, j.state])).toEqual([['survivor', 'exited']]);
  });

  it('settings.json as a directory: reported, set aside, defaults used, and settings save again', () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'settings.json'));
    const engine = openEngine({ dataDir });
    expect(engine.openingNotices.join('\n')).toMatch(/could not read settings; using defaults \(EISDIR.*moved to .*settings\.json\.unreadable-/);
    expect(asideOf(dataDir, 'settings.json')).toHaveLength(1);
    engine.settings.update({ confirmKill: false });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ confirmKill: false });
  });
});

describe('one malformed saved job', () => {
  it('is set aside on its own, next to jobs.json; the good ones are kept, and the notice says how many', async () => {
    const dataDir = tempDir();
    saveJobs(dataDir, [finishedJob('a', 1), { id: 'bad', state: 'no such state' }, finishedJob('b', 2), finishedJob('c', 3)]);
    const engine = openEngine({ dataDir });
    expect(engine.jobs.list().map((j) => j.id)).toEqual(['a', 'b', 'c']);
    const notice = engine.openingNotices.join('\n');
    expect(notice).toMatch(/could not read 1 of 4 saved jobs \(.*\): set aside in .*jobs\.json\.rejected-\d+; the other 3 jobs are kept/);
    const rejectedName = readdirSync(dataDir).find((n) => n.startsWith('jobs.json.rejected-'))!;
    expect(JSON.parse(readFileSync(join(dataDir, rejectedName), 'utf8'))).toMatchObject({ jobs: [{ id: 'bad', state: 'no such state' }] });
    await engine.shutdown();
    // jobs.json now holds the good ones only, and says nothing more at the next start.
    const again = openEngine({ dataDir });
    expect(again.jobs.list().map((j) => j.id)).toEqual(['a', 'b', 'c']);
    expect(again.openingNotices).toEqual([]);
  });

  it('a torn journal line (an engine killed mid-write) is set aside; the records around it are kept', async () => {
    const dataDir = tempDir();
    const engine = await engineChild(dataDir);
    const answer = await ask(engine.child, 1, 'jobs.start', { spec: { name: 'first', command: { kind: 'shell', script: 'true' } } });
    expect(answer.ok).toBe(true);
    await engine.killHard();
    // What a write cut short by SIGKILL leaves at the end of the journal.
    const segment = readdirSync(dataDir).filter((n) => n.startsWith('jobs.journal-')).sort().at(-1)!;
    appendFileSync(join(dataDir, segment), '{"seq":99999,"record":{"submitted":{"jobs":[{"id":"tor');
    const reopened = openEngine({ dataDir });
    expect(reopened.jobs.list().map((j) => j.name)).toEqual(['first']);
    expect(reopened.openingNotices.join('\n')).toMatch(/could not read 1 journal record \(a line that is not a complete record: the engine died while writing it, before answering for it\): set aside in .*jobs\.json\.rejected-\d+; the other 1 job is kept/);
  });
});

describe('the finished-jobs cap', () => {
  it('is a setting; what it drops at start is said; active and queued jobs are never dropped', async () => {
    const dataDir = tempDir();
    const jobs: unknown[] = Array.from({ length: 10_000 }, (_, i) => finishedJob(`done${i}`, i));
    jobs.splice(10, 0, { ...finishedJob('was-running', 10), state: 'running' });
    saveJobs(dataDir, jobs);
    const engine = openEngine({ dataDir });
    expect(engine.settings.get().finishedJobsKept).toBe(5000);
    const listed = engine.jobs.list();
    expect(listed).toHaveLength(5000);
    expect(engine.openingNotices.join('\n')).toMatch(/5001 of the oldest finished jobs were dropped from the list and the saved jobs: the "finished jobs kept" setting \(finishedJobsKept\) keeps 5000/);
    // The newest are kept.
    expect(listed.at(-1)!.id).toBe('done9999');
    expect(listed[0]!.id).toBe('done5000');

    // Lowered at run time: dropped now, said now, and a running job is not among them.
    const running = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    const queuedBehind = engine.jobs.start({ command: { kind: 'shell', script: 'true' }, dependsOn: [running.id] });
    await waitForState(engine, running.id, 'running');
    const notices: string[] = [];
    const removed: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));
    engine.events.on('jobs.removed', ({ jobIds }) => removed.push(...jobIds));
    engine.settings.update({ finishedJobsKept: 100 });
    expect(engine.jobs.list()).toHaveLength(102);
    expect(engine.jobs.get(running.id).state).toBe('running');
    expect(engine.jobs.get(queuedBehind.id).state).toBe('queued');
    expect(notices).toEqual([expect.stringMatching(/^4900 of the oldest finished jobs were dropped .* keeps 100$/)]);
    expect(removed).toHaveLength(4900);
    // Shutdown ends those two: finished now, 102 of them, the two oldest go at the last save.
    await engine.shutdown();
    const reopened = openEngine({ dataDir });
    expect(reopened.jobs.list()).toHaveLength(100);
    expect(reopened.jobs.list().slice(-2).map((j) => [j.id, j.state])).toEqual([
      [running.id, 'killed'],
      [queuedBehind.id, 'skipped'],
    ]);
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ finishedJobsKept: 100 });
  }, 60_000);
});
