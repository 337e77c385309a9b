import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_STORM_EXIT_CODE, installFaultGuard } from '../../electron/host/faultGuard';
import { waitFor } from '../support/wait';
import { TestClient, TEST_TOKEN } from '../web/helpers';
import { startHostChild, stopHostChildren } from '../web/hostChild';

afterAll(stopHostChildren);

function guarded(options: { shutdown?: () => Promise<void>; storm?: { faults: number; windowMs: number }; shutdownDeadlineMs?: number } = {}) {
  const target = new EventEmitter();
  const logged: string[] = [];
  const said: string[] = [];
  const exits: number[] = [];
  let now = 0;
  const guard = installFaultGuard({
    target,
    shutdown: options.shutdown ?? (async () => undefined),
    exit: (code) => exits.push(code),
    log: (headline, error) => logged.push(`${headline}: ${error instanceof Error ? error.stack : String(error)}`),
    say: (line) => said.push(line),
    storm: options.storm,
    shutdownDeadlineMs: options.shutdownDeadlineMs,
    now: () => now,
  });
  return { target, logged, said, exits, guard, advance: (ms: number) => (now += ms) };
}

describe('the last line of defence', () => {
  it('logs an uncaught exception and an unhandled rejection with their stacks, and keeps running', () => {
    const { target, logged, exits, guard } = guarded();
    target.emit('uncaughtException', new Error('boom in a timer'), 'uncaughtException');
    target.emit('unhandledRejection', new Error('nobody caught me'), Promise.resolve());
    target.emit('unhandledRejection', 'a bare string', Promise.resolve());
    expect(guard.faultCount).toBe(3);
    expect(logged[0]).toMatch(/^uncaught exception: the operation it escaped from has failed; Procdeck keeps running: Error: boom in a timer\n\s+at /);
    expect(logged[1]).toMatch(/^unhandled promise rejection: .*Error: nobody caught me\n\s+at /);
    expect(logged[2]).toContain('a bare string');
    expect(exits).toEqual([]);
    guard.dispose();
    expect(target.listenerCount('uncaughtException') + target.listenerCount('unhandledRejection')).toBe(0);
  });

  it('rides out faults spread over time, but shuts down (jobs first) on a storm', async () => {
    const order: string[] = [];
    const { target, said, exits, advance } = guarded({
      storm: { faults: 5, windowMs: 1000 },
      shutdown: async () => {
        order.push('shutdown');
      },
    });
    for (let i = 0; i < 20; i++) {
      target.emit('uncaughtException', new Error(`spread ${i}`));
      advance(300);
    }
    expect(said).toEqual([]);
    for (let i = 0; i < 5; i++) target.emit('uncaughtException', new Error(`storm ${i}`));
    expect(said[0]).toContain('fault storm: 5 faults within 1 s; stopping every job, then exiting');
    // More faults while shutting down change nothing.
    for (let i = 0; i < 10; i++) target.emit('uncaughtException', new Error(`late ${i}`));
    await waitFor(() => exits.length > 0, 'the exit');
    expect(order).toEqual(['shutdown']);
    expect(exits).toEqual([FAULT_STORM_EXIT_CODE]);
  });

  it('exits anyway when the shutdown hangs past its deadline, saying so', async () => {
    const { target, said, exits } = guarded({ storm: { faults: 1, windowMs: 1000 }, shutdown: () => new Promise(() => {}), shutdownDeadlineMs: 50 });
    target.emit('uncaughtException', new Error('one is a storm here'));
    await waitFor(() => exits.length > 0, 'the exit at the deadline');
    expect(exits).toEqual([FAULT_STORM_EXIT_CODE]);
    expect(said[1]).toContain('jobs still not stopped');
  });
});

describe('the browser host process with faults injected (test-only fixture, stdin)', () => {
  it('logs each fault with its stack and keeps serving and supervising; a storm stops its job, then exits', async () => {
    const host = await startHostChild({ entry: join(import.meta.dirname, 'fixtures/faultyBrowserHost.ts'), token: TEST_TOKEN, stdin: 'pipe' });
    const client = await TestClient.connect(host.port);
    const started = await client.invoke('jobs.start', { spec: { command: { kind: 'shell', script: 'echo ready; exec sleep 1000' } } });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.job.id;
    const running = await client.waitForEvent('jobs.changed', ({ jobs }) => jobs.some((j) => j.id === jobId && j.state === 'running' && j.pid !== undefined));
    const jobPid = running.jobs.find((j) => j.id === jobId)!.pid!;
    await waitFor(() => existsSync(`/proc/${jobPid}`) && readFileSync(`/proc/${jobPid}/cmdline`, 'latin1').startsWith('sleep'), 'the job to exec sleep');

    const faults: [string, string][] = [
      ['timer', 'injected fault in a timer'],
      ['rejection', 'injected fault: a rejected promise nobody handles'],
      ['child-exit', 'injected fault in a child-process handler'],
      ['stream-handler', 'injected fault in a stream event handler'],
    ];
    for (const [fault, message] of faults) {
      host.process.stdin!.write(`${fault}\n`);
      // Its stack, pointing at where it was thrown.
      await waitFor(() => new RegExp(`${message}\\n\\s+at .*faultyBrowserHost\\.ts`).test(host.stderr()), () => `the ${fault} fault in the log; stderr: ${host.stderr()}`);
      expect(host.process.exitCode, `after the ${fault} fault`).toBeNull();
      expect(await client.invoke('jobs.list', {}), `after the ${fault} fault`).toMatchObject({ ok: true });
      expect(readFileSync(`/proc/${jobPid}/cmdline`, 'latin1'), `the job after the ${fault} fault`).toContain('sleep');
    }
    expect(host.stderr()).toMatch(/uncaught exception: the operation it escaped from has failed; Procdeck keeps running/);
    expect(host.stderr()).toMatch(/unhandled promise rejection: the operation it escaped from has failed; Procdeck keeps running/);

    host.process.stdin!.write('storm\n');
    expect(await host.exited).toBe(FAULT_STORM_EXIT_CODE);
    expect(host.stderr()).toMatch(/fault storm: 100 faults within 10 s; stopping every job, then exiting with code 70/);
    // Stopped by the host before it went, not left behind unsupervised.
    expect(existsSync(`/proc/${jobPid}`)).toBe(false);
  }, 120_000);
});
