import { afterEach, describe, expect, it } from 'vitest';
import { closeEngines, openEngine, waitForState } from '../helpers';

afterEach(closeEngines);

describe('the command policy as the engine applies it', () => {
  it('refuses an allowlist entry that names no program, and keeps the settings it had', () => {
    const engine = openEngine({ settings: { commandPolicy: { allow: ['echo'] } } });
    expect(() => engine.settings.update({ commandPolicy: { allow: ['echo', 'procdeck-no-such-program'], deny: [] } })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', field: 'settings.commandPolicy.allow.1', message: expect.stringMatching(/^allowlist entry "procdeck-no-such-program" names no program: no program of that name is in the engine's PATH/) }),
    );
    expect(() => engine.settings.update({ commandPolicy: { allow: ['/no/such/program'], deny: [] } })).toThrow(expect.objectContaining({ field: 'settings.commandPolicy.allow.0' }));
    expect(engine.settings.get().commandPolicy).toEqual({ allow: ['echo'], deny: [], allowShellJobs: false });
  });

  it('refuses a launcher running a denied program at once, and shell jobs until the operator allows them', async () => {
    const engine = openEngine({ settings: { commandPolicy: { deny: ['python3'] } } });
    expect(() => engine.jobs.start({ command: { kind: 'argv', program: 'timeout', args: ['5', 'python3', '-c', 'print(1)'] } })).toThrow(
      expect.objectContaining({ code: 'POLICY_DENIED', field: 'command', message: expect.stringContaining('run by timeout, is denied by the rule "python3"') }),
    );
    const shellJob = { command: { kind: 'shell' as const, script: 'echo from a shell' } };
    expect(() => engine.jobs.start(shellJob)).toThrow(expect.objectContaining({ code: 'POLICY_DENIED', message: expect.stringContaining('allow them in Settings (Command policy)') }));
    engine.settings.update({ commandPolicy: { deny: ['python3'], allow: [], allowShellJobs: true } });
    const job = engine.jobs.start(shellJob);
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.exitCode).toBe(0);
    expect(ended.isolation?.warnings).toEqual(['shell-string job: only the shell (/bin/sh) is checked against the command policy, not the commands its script runs']);
  });
});
