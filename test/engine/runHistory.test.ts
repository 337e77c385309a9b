import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import type { CommandResponse } from '../../shared/contract';
import type { RunRecord } from '../../shared/run';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from './helpers';
import { ask, engineChild } from './submitChildProcess';

afterEach(closeEngines);

/** A job that prints its run's number and fails: restarted at once, three runs in all, then crash-looping. */
const flapping = {
  name: 'flapping',
  command: { kind: 'shell' as const, script: 'echo "run of $PDK_RUN_ID"; exit 3' },
  restart: { when: 'on-failure' as const, initialDelayMs: 0, maxDelayMs: 0, maxRestarts: 2, minUptimeMs: 0 },
};

const journalText = (dataDir: string) =>
  readdirSync(dataDir)
    .filter((name) => name.startsWith('jobs.journal-'))
    .map((name) => readFileSync(join(dataDir, name), 'utf8'))
    .join('');

describe('run history (jobs.runs)', () => {
  it('keeps a record of every run, newest first, with its exit, log and who ended it; runsKept bounds it', async () => {
    const engine = openEngine();
    const job = engine.jobs.start(flapping);
    await waitForState(engine, job.id, 'crash-looping');
    const runs = engine.jobs.runs(job.id);
    expect(runs.map((run) => [run.number, run.state, run.exitCode])).toEqual([
      [3, 'exited', 3],
      [2, 'exited', 3],
      [1, 'exited', 3],
    ]);
    expect(new Set(runs.map((run) => run.runId)).size).toBe(3);
    for (const run of runs) {
      expect(run.jobId).toBe(job.id);
      expect(run.endedBy).toBeUndefined(); // each ended on its own
      expect(run.endedAt!).toBeGreaterThanOrEqual(run.startedAt!);
      expect(readFileSync(run.log.path, 'utf8')).toContain('run of ');
    }
    // The latest run is the one the list shows.
    expect(runs[0]!.runId).toBe(engine.jobs.get(job.id).runId);
    expect(engine.jobs.runs(job.id, 1)).toEqual([runs[0]]);

    // An operator's stop is recorded as such; a live run is listed as it is now.
    const sleeper = engine.jobs.start({ name: 'sleeper', command: { kind: 'shell', script: 'exec sleep 300' } });
    await waitForState(engine, sleeper.id, 'running');
    expect(engine.jobs.runs(sleeper.id)).toMatchObject([{ number: 1, state: 'running' }]);
    engine.jobs.stop(sleeper.id);
    await waitForState(engine, sleeper.id, 'killed');
    expect(engine.jobs.runs(sleeper.id)).toMatchObject([{ number: 1, state: 'killed', endedBy: 'operator', reason: 'stopped by operator' }]);

    // Lowered: the oldest records go at once.
    engine.settings.update({ runsKept: 2 });
    expect(engine.jobs.runs(job.id).map((run) => run.number)).toEqual([3, 2]);
  });

  it('is saved: a clean restart keeps every run, and runs its engine stopped say so', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    const job = engine.jobs.start(flapping);
    const sleeper = engine.jobs.start({ name: 'sleeper', command: { kind: 'shell', script: 'exec sleep 300' } });
    await waitForState(engine, job.id, 'crash-looping');
    await waitForState(engine, sleeper.id, 'running');
    const before = engine.jobs.runs(job.id);
    await engine.shutdown();

    const reopened = openEngine({ dataDir });
    expect(reopened.jobs.runs(job.id)).toEqual(before);
    // Each earlier run's output is still there by its number, read from its log file.
    const outputOf = (number: number) => reopened.jobs.tail(job.id, number).chunks.filter((c) => c.stream !== 'system').map((c) => c.text).join('');
    for (const run of before) expect(outputOf(run.number)).toMatch(new RegExp(`^run of \\S+:${run.runId}:${job.id}\n$`)); // the marker is <engine>:<run id>:<job id>
    expect(() => reopened.jobs.tail(job.id, 9)).toThrow(/flapping has no run 9: the runs kept are 1–3/);
    expect(reopened.jobs.runs(sleeper.id)).toMatchObject([{ number: 1, state: 'killed', endedBy: 'engine-shutdown' }]);
    // A new run after the restart goes on counting.
    reopened.jobs.restart(job.id);
    await waitForState(reopened, job.id, 'crash-looping');
    expect(reopened.jobs.runs(job.id).map((run) => run.number)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('survives a SIGKILLed engine: every ended run is in the journal, and a live one is remembered as ended with the engine', async () => {
    const dataDir = tempDir();
    const child = await engineChild(dataDir);
    const started = await ask(child.child, 1, 'jobs.start', { spec: flapping });
    const live = await ask(child.child, 2, 'jobs.start', { spec: { name: 'live', command: { kind: 'shell', script: 'exec sleep 300' } } });
    if (!started.ok || !live.ok) throw new Error('the jobs were not started');
    const jobId = (started.value as CommandResponse<'jobs.start'>).job.id;
    const liveId = (live.value as CommandResponse<'jobs.start'>).job.id;
    let runs: RunRecord[] = [];
    let request = 3;
    await waitFor(async () => {
      const answer = await ask(child.child, request++, 'jobs.runs', { jobId });
      runs = answer.ok ? (answer.value as CommandResponse<'jobs.runs'>).runs : [];
      return runs.length === 3 && runs.every((run) => run.state === 'exited');
    }, 'three ended runs');
    // Changes are journaled within 0.5 s: wait for the last run's end (and the live run) to be on disk.
    await waitFor(() => {
      const text = journalText(dataDir);
      return runs.every((run) => text.includes(run.runId)) && text.includes('"crash-looping"') && text.includes('"state":"running"');
    }, 'the runs to be in the journal');
    await child.killHard();

    const reopened = openEngine({ dataDir });
    expect(reopened.jobs.runs(jobId).map((run) => [run.runId, run.state, run.exitCode])).toEqual(runs.map((run) => [run.runId, 'exited', 3]));
    expect(reopened.jobs.runs(liveId)).toMatchObject([{ number: 1, state: 'killed', endedBy: 'engine-died' }]);
  });

  it('is a read-only command: the request is parsed (limit, jobId), an unknown job is named', async () => {
    const engine = openEngine();
    const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' }));
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'true' } });
    await waitForState(engine, job.id, 'exited');
    const answer = await dispatch('jobs.runs', { jobId: job.id });
    expect(answer).toMatchObject({ ok: true, value: { runs: [{ jobId: job.id, number: 1, state: 'exited', exitCode: 0 }] } });
    expect(await dispatch('jobs.runs', { jobId: job.id, limit: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'limit' } });
    expect(await dispatch('jobs.runs', { jobId: job.id, limit: 'all' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'limit' } });
    expect(await dispatch('jobs.runs', { jobId: 'jnope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'jobId' } });
    expect(engine.jobs.list()).toHaveLength(1);
  });
});
