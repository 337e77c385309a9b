import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../electron/engine/engineError';
import { dataDirIdentity } from '../../electron/engine/supervisor/runMarker';
import type { Engine } from '../../electron/engine/engine';
import type { JobSpecInput } from '../../shared/jobSpec';
import { closeEngines, openEngine, tailText, tempDir, waitForState } from './helpers';

afterEach(closeEngines);

function startError(engine: Engine, spec: JobSpecInput): EngineError {
  try {
    engine.jobs.start(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('start did not fail');
}

describe('spawn errors are typed and name the problem', () => {
  it('each bad spec gets its own clear error while other jobs keep running', async () => {
    const engine = openEngine();
    const bystander = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    await waitForState(engine, bystander.id, 'running');

    const dir = tempDir();
    const notExecutable = join(dir, 'script.sh');
    writeFileSync(notExecutable, '#!/bin/sh\necho hi\n');
    chmodSync(notExecutable, 0o644);

    const cases: [JobSpecInput, string, RegExp, string?][] = [
      [{ command: { kind: 'argv', program: 'no-such-program-xyz' } }, 'COMMAND_NOT_FOUND', /command not found: no-such-program-xyz/, 'command.program'],
      [{ command: { kind: 'argv', program: notExecutable } }, 'NOT_EXECUTABLE', /not executable/, 'command.program'],
      [{ command: { kind: 'argv', program: dir } }, 'NOT_EXECUTABLE', /is a directory/, 'command.program'],
      [{ command: { kind: 'shell', script: 'true' }, cwd: '/no/such/dir' }, 'CWD_NOT_FOUND', /working directory \/no\/such\/dir does not exist/, 'cwd'],
      [{ command: { kind: 'shell', script: '   ' } }, 'INVALID_SPEC', /command.script: shell command must not be empty/, 'command.script'],
      [{ command: { kind: 'argv', program: '' } }, 'INVALID_SPEC', /program must not be empty/, 'command.program'],
      [{ command: { kind: 'argv', program: 'echo', args: ['a\0b'] } }, 'INVALID_SPEC', /NUL byte/, 'command.args.0'],
      [{ command: { kind: 'shell', script: 'true' }, env: { set: { 'A=B': 'x' } } }, 'INVALID_SPEC', /must not contain '='/],
      [{ command: { kind: 'shell', script: 'true' }, timeoutMs: -5 }, 'INVALID_SPEC', /timeoutMs: timeout must be positive/, 'timeoutMs'],
      [{ command: { kind: 'shell', script: 'true' }, graceMs: -1 }, 'INVALID_SPEC', /grace period must not be negative/, 'graceMs'],
    ];
    for (const [spec, code, message, field] of cases) {
      const error = startError(engine, spec);
      expect(error.code, JSON.stringify(spec)).toBe(code);
      expect(error.message).toMatch(message);
      if (field) expect(error.field).toBe(field);
    }
    expect(engine.jobs.get(bystander.id).state).toBe('running');
    const after = engine.jobs.start({ command: { kind: 'shell', script: 'echo still fine' } });
    await waitForState(engine, after.id, 'exited');
    expect(tailText(engine, after.id)).toBe('still fine\n');
  });

  it('unknown job ids and wrong states are errors, not crashes', async () => {
    const engine = openEngine();
    expect(() => engine.jobs.stop('nope')).toThrow(/no job with id nope/);
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'true' } });
    await waitForState(engine, job.id, 'exited');
    expect(() => engine.jobs.pause(job.id)).toThrow(/not running/);
    expect(() => engine.jobs.signal(job.id, 'SIGTERM')).toThrow(/not running/);
  });
});

describe('environment', () => {
  it('a clean environment holds only the allowlist plus overrides', async () => {
    const engine = openEngine();
    process.env.PROCDECK_SECRET_FOR_TEST = 'leak';
    const job = engine.jobs.start({
      command: { kind: 'argv', program: '/usr/bin/env' },
      env: { mode: 'clean', allow: ['PATH', 'HOME'], set: { EXTRA: 'yes' } },
    });
    const ended = await waitForState(engine, job.id, 'exited');
    const lines = tailText(engine, job.id).trim().split('\n');
    const names = lines.map((line) => line.split('=')[0]).sort();
    // Plus the run's own marker, which every job process carries (the tracking fallback).
    expect(names).toEqual(['EXTRA', 'HOME', 'PATH', 'PDK_RUN_ID']);
    expect(lines).toContain(`PDK_RUN_ID=${dataDirIdentity(engine.info().dataDir)}:${ended.runId}:${job.id}`);
    delete process.env.PROCDECK_SECRET_FOR_TEST;
  });

  it('inherit mode passes the engine environment with overrides on top', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'echo "$HOME:$FOO"' }, env: { mode: 'inherit', set: { FOO: 'bar' } } });
    await waitForState(engine, job.id, 'exited');
    expect(tailText(engine, job.id)).toBe(`${process.env.HOME}:bar\n`);
  });
});
