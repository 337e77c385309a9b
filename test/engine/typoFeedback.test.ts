import { afterEach, describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../../shared/jobSpec';
import { closeEngines, openEngine, tempDir, waitForState } from './helpers';
import { Engine } from '../../electron/engine/engine';

afterEach(closeEngines);

/** Issue 16 item 6: a typo is caught before it queues, and a run that failed says why in its row. */
describe('a typo fails early and says why', () => {
  it('jobs.check warns about a shell command whose first program is not found, as the job would look it up, and starts nothing', () => {
    const engine = openEngine();
    const check = (input: Parameters<typeof jobSpecSchema.parse>[0]) => engine.jobs.check(jobSpecSchema.parse(input));
    expect(check({ command: { kind: 'shell', script: 'pyhton3-typo app.py' } })).toEqual([
      { field: 'command.script', message: expect.stringMatching(/^command not found: pyhton3-typo .*; the shell may still define it/) },
    ]);
    expect(check({ command: { kind: 'shell', script: 'sleep 1' } })).toEqual([]);
    // The job's own environment decides: with a PATH that lacks sleep, it is not found.
    expect(check({ command: { kind: 'shell', script: 'sleep 1' }, env: { set: { PATH: tempDir() } } })[0]?.message).toMatch(/^command not found: sleep/);
    expect(engine.jobs.list()).toEqual([]);
  });

  it('a failed run carries its last stderr line, readable; a running one does not; it outlives an engine restart', async () => {
    const dataDir = tempDir();
    const first = Engine.open({ dataDir });
    let jobId: string;
    try {
      const failed = first.jobs.start({ name: 'typo', command: { kind: 'shell', script: "echo starting; printf 'warming up\\n' >&2; pyhton3-typo app.py" } });
      const ended = await waitForState(first, failed.id, 'exited');
      jobId = failed.id;
      expect(ended.exitCode).toBe(127);
      expect(ended.lastStderrLine).toMatch(/^(\/bin\/)?(sh: \d+: )?pyhton3-typo: (command )?not found$/);

      const live = first.jobs.start({ command: { kind: 'shell', script: "echo 'on stderr' >&2; exec sleep 300" } });
      await waitForState(first, live.id, 'running');
      expect(first.jobs.get(live.id)).not.toHaveProperty('lastStderrLine');
      first.jobs.stop(live.id);
      await waitForState(first, live.id, ['exited', 'killed']);
    } finally {
      await first.shutdown();
    }
    const second = openEngine({ dataDir });
    expect(second.jobs.get(jobId).lastStderrLine).toMatch(/pyhton3-typo: (command )?not found$/);
  });
});
