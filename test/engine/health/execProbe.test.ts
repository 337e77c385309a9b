import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProbeSpawner, type ProbeSpawner } from '../../../electron/engine/health/execProbe';
import type { JobCommand } from '../../../shared/jobSpec';
import { isAlive, tempDir, waitFor } from '../helpers';
import { attemptOnce, disposeTrackers, track, waitForHealth } from './probeHarness';

const dirs: string[] = [];
function scratch(): string {
  const dir = tempDir('procdeck-exec-probe-');
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await disposeTrackers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pids a probe command wrote, once it has written `count` of them. */
function pidsIn(file: string, count: number): number[] | undefined {
  if (!existsSync(file)) return undefined;
  const pids = readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  return pids.length >= count ? pids : undefined;
}

describe('exec probe', () => {
  it('succeeds on exit 0 and fails on another code, with what the command said', async () => {
    expect(await attemptOnce({ kind: 'exec', command: 'true' })).toEqual({ ok: true, message: 'exited 0' });
    expect(await attemptOnce({ kind: 'exec', command: ['sh', '-c', 'echo "no response from\n db" >&2; exit 2'] })).toEqual({ ok: false, message: 'exited 2: no response from db' });
    expect(await attemptOnce({ kind: 'exec', command: 'kill -SEGV $$' })).toEqual({ ok: false, message: 'killed by SIGSEGV' });
  });

  it('says when the program cannot be started', async () => {
    const attempt = await attemptOnce({ kind: 'exec', command: ['/nonexistent/pg_isready'] });
    expect(attempt.ok).toBe(false);
    expect(attempt.message).toMatch(/^could not start: command not found: \/nonexistent\/pg_isready/);
  });

  it('a command that hangs is killed with its whole process group when the attempt is aborted', async () => {
    const pidFile = join(scratch(), 'pids');
    const controller = new AbortController();
    // The shell, and a child it put in the background: both must go.
    const attempt = attemptOnce({ kind: 'exec', command: `echo $$ > ${pidFile}; sleep 1000 & echo $! >> ${pidFile}; wait` }, {}, controller.signal);
    const pids = await waitFor(() => pidsIn(pidFile, 2), 'the probe command to write its pids');
    expect(pids.every(isAlive)).toBe(true);
    controller.abort(new Error('timed out after 1 s'));
    expect(await attempt).toEqual({ ok: false, message: 'timed out after 1 s (killed)' });
    await waitFor(() => pids.every((pid) => !isAlive(pid)), () => `pids ${pids.join(', ')} to be gone`);
  });

  it('what a successful command left running in its group is killed too', async () => {
    const pidFile = join(scratch(), 'pids');
    const attempt = await attemptOnce({ kind: 'exec', command: `sleep 1000 & echo $! > ${pidFile}; exit 0` });
    expect(attempt).toEqual({ ok: true, message: 'exited 0' });
    const [leftover] = pidsIn(pidFile, 1)!;
    await waitFor(() => !isAlive(leftover!), `the background sleep ${leftover} to be gone`);
  });

  it('the tracker times a hanging command out and counts it as a failure', async () => {
    const tracker = track('liveness', { kind: 'exec', command: 'sleep 1000', intervalMs: 100, timeoutMs: 300, failureThreshold: 2 });
    await waitForHealth(tracker, 'unhealthy');
    expect(tracker.snapshot().reason).toBe('liveness: exec sleep 1000 timed out after 300 ms (killed) twice');
  });

  it('runs the command through the spawner it is given (the job\'s environment and cwd)', async () => {
    const seen: JobCommand[] = [];
    const spawn: ProbeSpawner = (command) => {
      seen.push(command);
      return defaultProbeSpawner({ kind: 'shell', script: 'test "$PROBE_MARK" = job-env' });
    };
    const withoutMark = await attemptOnce({ kind: 'exec', command: 'pg_isready' }, { spawn });
    expect(withoutMark).toEqual({ ok: false, message: 'exited 1' });
    process.env.PROBE_MARK = 'job-env';
    try {
      expect(await attemptOnce({ kind: 'exec', command: 'pg_isready' }, { spawn })).toEqual({ ok: true, message: 'exited 0' });
    } finally {
      delete process.env.PROBE_MARK;
    }
    expect(seen).toEqual([
      { kind: 'shell', script: 'pg_isready' },
      { kind: 'shell', script: 'pg_isready' },
    ]);
  });
});
