import { afterEach, describe, expect, it } from 'vitest';
import { closeEngines, groupMembers, isAlive, openEngine, procState, tailText, waitFor, waitForState } from './helpers';

afterEach(closeEngines);

const shell = (script: string) => ({ kind: 'shell' as const, script });

describe('process groups and signals', () => {
  it('stopping a tree leaves no survivor', async () => {
    const engine = openEngine();
    const job = engine.start({ command: shell('sleep 300 & sleep 300 & wait') });
    const running = await waitForState(engine, job.id, 'running');
    expect(running.pgid).toBe(running.pid);
    const members = await waitFor(() => {
      const m = groupMembers(running.pgid!);
      return m.length >= 3 ? m : undefined;
    }, 'sh and two sleeps');
    engine.stop(job.id);
    const ended = await waitForState(engine, job.id, 'killed');
    expect(ended.signal).toBe('SIGTERM');
    await waitFor(() => members.every((pid) => !isAlive(pid)), 'every member to be gone', 3000);
    expect(groupMembers(running.pgid!)).toEqual([]);
  });

  it('a job that ignores SIGTERM is killed after the grace period', async () => {
    const engine = openEngine();
    // An ignored disposition survives exec, so the sleep ignores TERM too.
    const job = engine.start({ command: shell("trap '' TERM; sleep 300 & wait"), graceMs: 600 });
    const running = await waitForState(engine, job.id, 'running');
    await waitFor(() => groupMembers(running.pgid!).length >= 2, 'sleep to start');
    const stoppedAt = Date.now();
    engine.stop(job.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.get(job.id).state).toBe('stopping');
    const ended = await waitForState(engine, job.id, 'killed', 5000);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(550);
    expect(ended.signal).toBe('SIGKILL');
    expect(groupMembers(running.pgid!)).toEqual([]);
    expect(tailText(engine, job.id)).toContain('sending SIGKILL');
  });

  it('kill sends SIGKILL to the whole group at once', async () => {
    const engine = openEngine();
    const job = engine.start({ command: shell("trap '' TERM; sleep 300 & wait"), graceMs: 60_000 });
    const running = await waitForState(engine, job.id, 'running');
    engine.kill(job.id);
    const ended = await waitForState(engine, job.id, 'killed', 2000);
    expect(ended.signal).toBe('SIGKILL');
    await waitFor(() => groupMembers(running.pgid!).length === 0, 'group to be empty', 2000);
  });

  it('any signal can be sent by name', async () => {
    const engine = openEngine();
    const job = engine.start({ command: shell("trap 'echo got-usr1; exit 7' USR1; while true; do sleep 0.05; done") });
    await waitForState(engine, job.id, 'running');
    await new Promise((r) => setTimeout(r, 200));
    engine.signal(job.id, 'SIGUSR1');
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.exitCode).toBe(7);
    expect(tailText(engine, job.id)).toContain('got-usr1');
  });

  it('pause shows state T in /proc and resume continues', async () => {
    const engine = openEngine();
    const job = engine.start({ command: shell('i=0; while true; do i=$((i+1)); echo $i; sleep 0.02; done') });
    const running = await waitForState(engine, job.id, 'running');
    await waitFor(() => tailText(engine, job.id).length > 5, 'some output');
    engine.pause(job.id);
    expect(engine.get(job.id).state).toBe('paused');
    await waitFor(() => procState(running.pid!) === 'T', 'state T');
    await new Promise((r) => setTimeout(r, 150));
    const frozen = tailText(engine, job.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(tailText(engine, job.id)).toBe(frozen);
    engine.resume(job.id);
    expect(engine.get(job.id).state).toBe('running');
    await waitFor(() => tailText(engine, job.id).length > frozen.length, 'output to continue');
    expect(procState(running.pid!)).not.toBe('T');
  });

  it('stopping a paused job still ends it', async () => {
    const engine = openEngine();
    const job = engine.start({ command: shell('sleep 300') });
    await waitForState(engine, job.id, 'running');
    engine.pause(job.id);
    engine.stop(job.id);
    const ended = await waitForState(engine, job.id, 'killed', 3000);
    expect(ended.signal).toBe('SIGTERM');
  });
});

describe('exit status, timeout, stdin', () => {
  it('reports exit codes and signal names', async () => {
    const engine = openEngine();
    const exited = engine.start({ command: shell('exit 3') });
    const signalled = engine.start({ command: shell('kill -USR2 $$') });
    expect((await waitForState(engine, exited.id, 'exited')).exitCode).toBe(3);
    const killed = await waitForState(engine, signalled.id, 'killed');
    expect(killed.signal).toBe('SIGUSR2');
    expect(killed.startedAt).toBeLessThanOrEqual(killed.endedAt!);
  });

  it('a job past its timeout ends as timed out', async () => {
    const engine = openEngine();
    const job = engine.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] }, timeoutMs: 300 });
    const ended = await waitForState(engine, job.id, 'timed-out', 5000);
    expect(ended.reason).toMatch(/timed out after 300 ms/);
    expect(ended.endedAt! - ended.startedAt!).toBeGreaterThanOrEqual(290);
  });

  it('stdin round trip through cat, then close stdin ends it', async () => {
    const engine = openEngine();
    const job = engine.start({ command: { kind: 'argv', program: 'cat', args: [] } });
    await waitForState(engine, job.id, 'running');
    expect(engine.get(job.id).stdinOpen).toBe(true);
    engine.writeStdin(job.id, 'hello from stdin\n');
    await waitFor(() => tailText(engine, job.id).includes('hello from stdin'), 'echo from cat');
    engine.closeStdin(job.id);
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.exitCode).toBe(0);
    expect(() => engine.writeStdin(job.id, 'late')).toThrow(/not running/);
  });

  it('stdin "closed" gives the job an empty stdin', async () => {
    const engine = openEngine();
    const job = engine.start({ command: { kind: 'argv', program: 'cat', args: [] }, stdin: 'closed' });
    expect((await waitForState(engine, job.id, 'exited')).exitCode).toBe(0);
  });

  it('argv jobs get their arguments verbatim, with no shell in between', async () => {
    const engine = openEngine();
    const job = engine.start({ command: { kind: 'argv', program: 'printf', args: ['%s|', '$HOME', 'a b', '*'] } });
    await waitForState(engine, job.id, 'exited');
    expect(tailText(engine, job.id)).toBe('$HOME|a b|*|');
  });

  it('a shell job runs pipelines', async () => {
    const engine = openEngine();
    const job = engine.start({ command: shell('printf "b\\na\\n" | sort | tr a-z A-Z') });
    await waitForState(engine, job.id, 'exited');
    expect(tailText(engine, job.id)).toBe('A\nB\n');
  });
});
