import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSpecInput } from '../../../shared/jobSpec';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

const sleeper = (group: string): JobSpecInput => ({ command: { kind: 'argv', program: 'sleep', args: ['300'] }, group });
const groupNamed = (engine: ReturnType<typeof openEngine>, name: string) => engine.scheduler.groups().find((g) => g.name === name);

describe("a group's limit and pause set by hand (groups.update) hold after a restart", () => {
  it('a limit and a pause come back; the limit holds for the jobs started then; a limit taken off stays off', async () => {
    const dataDir = tempDir();
    let engine = openEngine({ dataDir, settings: { maxConcurrent: 16 } });
    engine.scheduler.updateGroup('build', { limit: 1 });
    engine.scheduler.updateGroup('nightly', { paused: true });
    engine.scheduler.updateGroup('web', { limit: 2 });
    engine.scheduler.updateGroup('web', { limit: null });
    await engine.shutdown();

    engine = openEngine({ dataDir, settings: { maxConcurrent: 16 } });
    expect(groupNamed(engine, 'build')).toMatchObject({ limit: 1, paused: false });
    expect(groupNamed(engine, 'nightly')).toMatchObject({ paused: true });
    expect(groupNamed(engine, 'web')?.limit).toBeUndefined();
    const first = engine.jobs.start(sleeper('build'));
    await waitForState(engine, first.id, 'running');
    const second = engine.jobs.start(sleeper('build'));
    const waiting = await waitFor(() => engine.jobs.get(second.id).wait, 'the second build to say why it waits');
    expect(waiting).toEqual({ kind: 'group', group: 'build', running: 1, limit: 1 });
    const held = engine.jobs.start(sleeper('nightly'));
    expect(await waitFor(() => engine.jobs.get(held.id).wait, 'the nightly job to say why it waits')).toMatchObject({ kind: 'group-paused', group: 'nightly' });
  });

  it('the last word wins: a batch submitted after a hand-set limit keeps its own; a limit set after the batch holds over it', async () => {
    const dataDir = tempDir();
    let engine = openEngine({ dataDir });
    engine.scheduler.updateGroup('early', { limit: 1 });
    engine.scheduler.updateGroup('early', { paused: true });
    await engine.scheduler.submitBatch({ lines: 'true\ntrue', group: 'early', limit: 3 });
    engine.scheduler.updateGroup('late', { paused: true });
    await engine.scheduler.submitBatch({ lines: 'true\ntrue', group: 'late', limit: 3 });
    engine.scheduler.updateGroup('late', { limit: 2 });
    await engine.shutdown();

    engine = openEngine({ dataDir });
    expect(groupNamed(engine, 'early')).toMatchObject({ limit: 3, paused: true });
    expect(groupNamed(engine, 'late')).toMatchObject({ limit: 2, paused: true });
  });

  it('an unreadable groups.json is set aside and said, and the engine opens with no limits from it', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'groups.json'), '{"version": 1, "groups": {"build": {"limit": "two"}}}');
    const engine = openEngine({ dataDir });
    expect(engine.openingNotices.join('\n')).toMatch(/could not read the groups’ limits and pauses; none are in force/);
    expect(groupNamed(engine, 'build')).toBeUndefined();
    // Set aside, not lost: the next change writes a fresh file.
    engine.scheduler.updateGroup('build', { limit: 4 });
    expect(JSON.parse(readFileSync(join(dataDir, 'groups.json'), 'utf8'))).toMatchObject({ version: 1, groups: { build: { limit: 4 } } });
  });

  it('a change that cannot be saved is refused, saying why, and changes nothing', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    engine.scheduler.updateGroup('build', { limit: 2 });
    // A directory where the file goes: the atomic rename over it fails.
    rmSync(join(dataDir, 'groups.json'));
    mkdirSync(join(dataDir, 'groups.json'));
    expect(() => engine.scheduler.updateGroup('build', { limit: 5, paused: true })).toThrow(/could not save group build's settings .*nothing was changed/);
    expect(groupNamed(engine, 'build')).toMatchObject({ limit: 2, paused: false });
  });
});
