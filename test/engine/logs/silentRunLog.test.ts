// A run's log file is made at its first line (rotatingLogFile.ts): a run that writes nothing
// leaves no file, and every reader takes that as an empty log, not as a lost one.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FORMAT_HEADER } from '../../../electron/engine/logs/logFileFormat';
import { runLogPath } from '../../../electron/engine/logs/runLogFiles';
import { Engine } from '../../../electron/engine/engine';
import { closeEngines, openEngine, tempDir, waitForState } from '../helpers';

afterEach(closeEngines);

const logOf = (engine: Engine, dataDir: string, jobId: string) => runLogPath(dataDir, jobId, engine.jobs.get(jobId).runId!);

describe('a run that writes nothing', () => {
  it('leaves no file, and its tail is empty, in this engine and in the next', async () => {
    const dataDir = tempDir();
    const first = Engine.open({ dataDir });
    const silent = first.jobs.start({ command: { kind: 'argv', program: '/bin/true' } });
    const loud = first.jobs.start({ command: { kind: 'shell', script: 'echo hi' } });
    for (const job of [silent, loud]) await waitForState(first, job.id, 'exited');
    const silentPath = logOf(first, dataDir, silent.id);
    // Neither the file nor the job's directory of logs: both are made at the first line.
    expect(existsSync(silentPath)).toBe(false);
    expect(existsSync(dirname(silentPath))).toBe(false);
    const loudPath = logOf(first, dataDir, loud.id);
    expect(readFileSync(loudPath, 'utf8').startsWith(LOG_FORMAT_HEADER)).toBe(true);
    expect(first.jobs.tail(silent.id, 1)).toMatchObject({ chunks: [], truncated: false });
    await first.shutdown();

    // After a restart the engine holds no tail of either: both come from the files (or their absence).
    const next = openEngine({ dataDir });
    expect(next.jobs.tail(silent.id)).toMatchObject({ chunks: [], truncated: false });
    expect(next.jobs.tail(silent.id, 1)).toMatchObject({ chunks: [], truncated: false });
    expect(next.jobs.tail(loud.id).chunks.map((chunk) => chunk.text).join('')).toBe('hi\n');
    expect(next.jobs.runs(silent.id)[0]).toMatchObject({ outputBytes: 0, log: { path: silentPath } });
  });

  it('is told apart from a run whose file went missing: that one says its log is gone', async () => {
    const dataDir = tempDir();
    const first = Engine.open({ dataDir });
    const loud = first.jobs.start({ command: { kind: 'shell', script: 'echo hi' } });
    await waitForState(first, loud.id, 'exited');
    rmSync(logOf(first, dataDir, loud.id));
    await first.shutdown();
    const next = openEngine({ dataDir });
    const gone = [{ stream: 'system', text: 'no output of this run to show: its log file is gone\n' }];
    expect(next.jobs.tail(loud.id).chunks).toEqual(gone);
    expect(next.jobs.tail(loud.id, 1).chunks).toEqual(gone);
  });
});
