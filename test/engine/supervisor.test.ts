import { afterEach, describe, expect, it } from 'vitest';
import { STDIN_BUFFER_MAX_BYTES } from '../../electron/engine/supervisor/jobRun';
import { closeEngines, groupMembers, isAlive, openEngine, procState, tailText, waitFor, waitForState } from './helpers';

afterEach(closeEngines);

const shell = (script: string) => ({ kind: 'shell' as const, script });

describe('process groups and signals', () => {
  it('stopping a tree leaves no survivor', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: shell('sleep 300 & sleep 300 & wait') });
    const running = await waitForState(engine, job.id, 'running');
    expect(running.pgid).toBe(running.pid);
    const members = await waitFor(() => {
      const m = groupMembers(running.pgid!);
      return m.length >= 3 ? m : undefined;
    }, 'sh and two sleeps');
    engine.jobs.stop(job.id);
    const ended = await waitForState(engine, job.id, 'killed');
    expect(ended.signal).toBe('SIGTERM');
    await waitFor(() => members.every((pid) => !isAlive(pid)), 'every member to be gone', 3000);
    expect(groupMembers(running.pgid!)).toEqual([]);
  });

  it('a job that ignores SIGTERM is killed after the grace period', async () => {
    const engine = openEngine();
    // An ignored disposition survives exec, so the sleep ignores TERM too.
    const job = engine.jobs.start({ command: shell("trap '' TERM; sleep 300 & wait"), graceMs: 600 });
    const running = await waitForState(engine, job.id, 'running');
    await waitFor(() => groupMembers(running.pgid!).length >= 2, 'sleep to start');
    const stoppedAt = Date.now();
    engine.jobs.stop(job.id);
    expect(engine.jobs.get(job.id).state).toBe('stopping');
    const ended = await waitForState(engine, job.id, 'killed');
    // Not before the grace period (a lower bound: a loaded machine only makes it later).
    expect(ended.endedAt! - stoppedAt).toBeGreaterThanOrEqual(550);
    expect(ended.signal).toBe('SIGKILL');
    expect(groupMembers(running.pgid!)).toEqual([]);
    expect(tailText(engine, job.id)).toContain('sending SIGKILL');
  });

  it('kill sends SIGKILL to the whole group at once', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: shell("trap '' TERM; sleep 300 & wait"), graceMs: 60_000 });
    const running = await waitForState(engine, job.id, 'running');
    engine.jobs.kill(job.id);
    const ended = await waitForState(engine, job.id, 'killed', 2000);
    expect(ended.signal).toBe('SIGKILL');
    await waitFor(() => groupMembers(running.pgid!).length === 0, 'group to be empty', 2000);
  });

  it('any signal can be sent by name', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: shell("trap 'echo got-usr1; exit 7' USR1; echo ready; while true; do sleep 0.05; done") });
    // The trap is in place once the shell has printed ready.
    await waitFor(() => tailText(engine, job.id).includes('ready'), 'the trap to be set');
    engine.jobs.signal(job.id, 'SIGUSR1');
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.exitCode).toBe(7);
    expect(tailText(engine, job.id)).toContain('got-usr1');
  });

  it('pause shows state T in /proc and resume continues', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const job = engine.jobs.start({ command: shell('i=0; while true; do i=$((i+1)); echo $i; sleep 0.02; done') });
    const running = await waitForState(engine, job.id, 'running');
    await waitFor(() => tailText(engine, job.id).length > 5, 'some output');
    engine.jobs.pause(job.id);
    expect(engine.jobs.get(job.id).state).toBe('paused');
    // Every process of the job is stopped (a sleep may have been forked just before). A sleep
    // that ended just before the stop stays a zombie (Z) until the stopped shell reaps it: not running either.
    await waitFor(() => groupMembers(running.pgid!).every((pid) => ['T', 'Z'].includes(procState(pid) ?? 'T')), 'every process in state T (or a zombie)');
    expect(procState(running.pid!)).toBe('T');
    // Two monitor ticks later (real events, not a fixed wait) nothing more has been printed.
    const ticks = () => new Promise<void>((resolve) => engine.events.once('samples.tick', () => resolve()));
    await ticks();
    const frozen = tailText(engine, job.id);
    await ticks();
    await ticks();
    expect(tailText(engine, job.id)).toBe(frozen);
    engine.jobs.resume(job.id);
    expect(engine.jobs.get(job.id).state).toBe('running');
    await waitFor(() => tailText(engine, job.id).length > frozen.length, 'output to continue');
    expect(procState(running.pid!)).not.toBe('T');
  });

  it('stopping a paused job still ends it', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: shell('sleep 300') });
    await waitForState(engine, job.id, 'running');
    engine.jobs.pause(job.id);
    engine.jobs.stop(job.id);
    const ended = await waitForState(engine, job.id, 'killed', 3000);
    expect(ended.signal).toBe('SIGTERM');
  });
});

describe('exit status, timeout, stdin', () => {
  it('reports exit codes and signal names', async () => {
    const engine = openEngine();
    const exited = engine.jobs.start({ command: shell('exit 3') });
    const signalled = engine.jobs.start({ command: shell('kill -USR2 $$') });
    expect((await waitForState(engine, exited.id, 'exited')).exitCode).toBe(3);
    const killed = await waitForState(engine, signalled.id, 'killed');
    expect(killed.signal).toBe('SIGUSR2');
    expect(killed.startedAt).toBeLessThanOrEqual(killed.endedAt!);
  });

  it('a job past its timeout ends as timed out', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] }, timeoutMs: 300 });
    const ended = await waitForState(engine, job.id, 'timed-out', 5000);
    expect(ended.reason).toMatch(/timed out after 300 ms/);
    expect(ended.endedAt! - ended.startedAt!).toBeGreaterThanOrEqual(290);
  });

  it('a timeout of 30 days is armed for 30 days, not fired at once', async () => {
    const engine = openEngine();
    const thirtyDays = 30 * 24 * 3600 * 1000; // beyond setTimeout's 2^31-1 ms
    const job = engine.jobs.start({ command: shell('echo ready; read line'), timeoutMs: thirtyDays });
    await waitFor(() => tailText(engine, job.id).includes('ready'), 'the job to print ready');
    // The shell has run its first command: a timeout that fired at once would have stopped it by now.
    engine.jobs.writeStdin(job.id, 'go on\n');
    const ended = await waitForState(engine, job.id, ['exited', 'timed-out']);
    expect(ended.state).toBe('exited');
    expect(ended.timeoutAt).toBeUndefined();
  });

  it('the timeout in force is in the snapshot while it is armed', async () => {
    const engine = openEngine();
    const thirtyDays = 30 * 24 * 3600 * 1000;
    const job = engine.jobs.start({ command: shell('read line'), timeoutMs: thirtyDays });
    const running = await waitForState(engine, job.id, 'running');
    expect(running.timeoutAt).toBe(running.startedAt! + thirtyDays);
    engine.jobs.closeStdin(job.id);
    expect((await waitForState(engine, job.id, ['exited', 'timed-out'])).state).toBe('exited');
  });

  it('stdin of a job that does not read is bounded, with a clear error beyond the bound', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: shell('echo ready; exec sleep 300') });
    await waitFor(() => tailText(engine, job.id).includes('ready'), 'the job to print ready');
    const mib = 'x'.repeat(1024 * 1024);
    let accepted = 0;
    let refusal: Error | undefined;
    for (let i = 0; i < 200 && !refusal; i++) {
      try {
        engine.jobs.writeStdin(job.id, mib);
        accepted++;
      } catch (error) {
        refusal = error as Error;
      }
    }
    expect(refusal?.message).toMatch(/^stdin buffer full: the job is not reading/);
    // The kernel's pipe holds 64 KiB; the engine keeps at most STDIN_BUFFER_MAX_BYTES beyond it.
    expect(accepted).toBeLessThanOrEqual(Math.ceil(STDIN_BUFFER_MAX_BYTES / mib.length) + 1);
    expect(engine.jobs.get(job.id).state).toBe('running');
    engine.jobs.kill(job.id);
    await waitForState(engine, job.id, 'killed');
  });

  it('stdin round trip through cat, then close stdin ends it', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'cat', args: [] } });
    await waitForState(engine, job.id, 'running');
    expect(engine.jobs.get(job.id).stdinOpen).toBe(true);
    engine.jobs.writeStdin(job.id, 'hello from stdin\n');
    await waitFor(() => tailText(engine, job.id).includes('hello from stdin'), 'echo from cat');
    engine.jobs.closeStdin(job.id);
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.exitCode).toBe(0);
    expect(() => engine.jobs.writeStdin(job.id, 'late')).toThrow(/not running/);
  });

  it('stdin "closed" gives the job an empty stdin', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'cat', args: [] }, stdin: 'closed' });
    expect((await waitForState(engine, job.id, 'exited')).exitCode).toBe(0);
  });

  it('argv jobs get their arguments verbatim, with no shell in between', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'printf', args: ['%s|', '$HOME', 'a b', '*'] } });
    await waitForState(engine, job.id, 'exited');
    expect(tailText(engine, job.id)).toBe('$HOME|a b|*|');
  });

  it('a job that floods its output and exits loses none of it', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: shell("head -c 5000000 /dev/zero | tr '\\0' a; echo done") });
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.outputBytes).toBe(5_000_005);
  });

  it('a shell job runs pipelines', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: shell('printf "b\\na\\n" | sort | tr a-z A-Z') });
    await waitForState(engine, job.id, 'exited');
    expect(tailText(engine, job.id)).toBe('A\nB\n');
  });
});
