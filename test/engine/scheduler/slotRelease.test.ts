import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pool } from '../../../electron/engine/scheduler/pool';
import { closeEngines, openEngine, tailText, tempDir, waitForState } from '../helpers';

afterEach(closeEngines);

describe('pool slots', () => {
  it('a slot released twice (a failed launch, then its run) is given back once', () => {
    const pool = new Pool(1);
    pool.enqueue('a', 'g', 0);
    pool.enqueue('b', 'g', 0);
    const [slot] = pool.takeStartable();
    expect(pool.takeStartable()).toEqual([]);
    slot!.release();
    slot!.release();
    expect(pool.runningCount).toBe(0);
    expect(pool.takeStartable().map((s) => s.jobId)).toEqual(['b']);
    // One running, not minus one plus one: the limit of 1 still holds.
    pool.enqueue('c', 'g', 0);
    expect(pool.takeStartable()).toEqual([]);
  });
});

describe('a launch that fails after its slot was taken', () => {
  it('with logs/ made a regular file, jobs still run (their log stops, and says why) and none is left queued; once fixed, logs are written', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: { maxConcurrent: 1 } });
    const notices: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));
    writeFileSync(join(dataDir, 'logs'), 'not a directory');
    const ids = [1, 2, 3].map((n) => engine.jobs.start({ command: { kind: 'shell', script: `echo run ${n}` } }).id);
    for (const [i, id] of ids.entries()) {
      const ended = await waitForState(engine, id, ['exited', 'failed-to-start']);
      expect(ended).toMatchObject({ state: 'exited', exitCode: 0 });
      expect(tailText(engine, id)).toContain(`run ${i + 1}\n`);
      // Procdeck's own line (the system stream, unmarked in the chunks since the log file marks streams).
      const systemText = engine.jobs.tail(id).chunks.filter((chunk) => chunk.stream === 'system').map((chunk) => chunk.text).join('');
      expect(systemText).toMatch(/^the log file .* stopped: (ENOTDIR|EEXIST)/m);
    }
    expect(notices.filter((n) => /stopped: (ENOTDIR|EEXIST)/.test(n))).toHaveLength(3);
    expect(engine.scheduler.groups().map((g) => g.running)).toEqual(engine.scheduler.groups().map(() => 0));

    rmSync(join(dataDir, 'logs'));
    const fixed = engine.jobs.start({ command: { kind: 'shell', script: 'echo fixed' } });
    await waitForState(engine, fixed.id, 'exited');
    const dir = join(dataDir, 'logs', fixed.id);
    // The file's header, then the read's time and the one line marked as stdout's.
    expect(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')).toMatch(/^# procdeck-log v3[^\n]*\n@\S+Z\n1 fixed\n$/);
  });
});
