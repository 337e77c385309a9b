import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilities } from '../../../electron/engine/isolation/capabilities';
import { closeEngines, openEngine, tailText, waitFor, waitForState } from '../helpers';

const caps = capabilities();
let server: Server | undefined;
afterEach(async () => {
  await closeEngines();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('isolation through the engine', () => {
  it.runIf(caps.bwrap !== undefined && caps.root)('Maximum: shows the limits in force and the failed connection in the log', async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const engine = openEngine();
    const job = engine.jobs.start({
      command: { kind: 'shell', script: `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), timeout=2)"` },
      isolation: { level: 'maximum' },
    });
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.exitCode).toBe(1);
    expect(ended.isolation?.level).toBe('maximum');
    expect(ended.isolation?.limits.map((l) => l.limit)).toEqual(['memoryBytes', 'cpuSeconds', 'openFiles', 'processes', 'wallClockMs', 'cleanEnv', 'cwd', 'sandbox', 'runAs']);
    expect(tailText(engine, job.id)).toContain('ConnectionRefusedError');
  });

  it.runIf(caps.cgroup !== undefined)('a memory hog ends killed, and its reason names the limit', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({
      command: { kind: 'argv', program: process.execPath, args: ['-e', 'Buffer.alloc(600 * 1024 * 1024).fill(1)'] },
      isolation: { level: 'none', overrides: { memoryBytes: 256 * 1024 * 1024 } },
    });
    const ended = await waitForState(engine, job.id, 'killed');
    expect(ended.signal).toBe('SIGKILL');
    expect(ended.reason).toBe('memory limit 256 MiB exceeded (the kernel killed the job)');
    expect(tailText(engine, job.id)).toContain('ended by a limit: memory limit 256 MiB exceeded');
  });

  it('a CPU spinner ends with the CPU limit as its reason', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'argv', program: '/bin/sh', args: ['-c', 'while :; do :; done'] }, isolation: { level: 'none', overrides: { cpuSeconds: 1 } } });
    const ended = await waitForState(engine, job.id, 'killed', 10_000);
    expect(ended.reason).toBe('CPU time limit 1 s exceeded (SIGXCPU)');
  });

  it('the wall-clock limit of a level is the timeout in force', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 30' }, isolation: { level: 'basic', overrides: { wallClockMs: 300 } } });
    const ended = await waitForState(engine, job.id, 'timed-out', 10_000);
    expect(ended.reason).toBe('wall-clock limit 300 ms exceeded');
  });

  it('a wall-clock limit of 30 days is armed for 30 days, not fired at once', async () => {
    const engine = openEngine();
    const thirtyDays = 30 * 24 * 3600 * 1000; // beyond setTimeout's 2^31-1 ms
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'echo ready; read line; exit 0' }, isolation: { level: 'basic', overrides: { wallClockMs: thirtyDays } } });
    await waitFor(() => tailText(engine, job.id).includes('ready'), 'the job to print ready');
    const running = engine.jobs.get(job.id);
    expect(running.state).toBe('running');
    expect(running.timeoutAt).toBe(running.startedAt! + thirtyDays);
    engine.jobs.closeStdin(job.id);
    expect((await waitForState(engine, job.id, ['exited', 'timed-out'])).state).toBe('exited');
  });

  it('refuses a denied program at once, with the policy error code', () => {
    const engine = openEngine({ settings: { commandPolicy: { allow: [], deny: ['rm'] } } });
    expect(() => engine.jobs.start({ command: { kind: 'argv', program: 'rm', args: ['-rf', '/tmp/nothing'] } })).toThrow(
      expect.objectContaining({ code: 'POLICY_DENIED', message: 'command policy: program /usr/bin/rm is denied by the rule "rm"' }),
    );
  });

  it('applies the default level from settings to a job that names none', async () => {
    const engine = openEngine({ settings: { defaultIsolation: 'enhanced' } });
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'ulimit -n' } });
    const ended = await waitForState(engine, job.id, 'exited');
    expect(tailText(engine, job.id)).toContain('1024');
    expect(ended.isolation?.level).toBe('enhanced');
  });
});

describe.runIf(caps.bwrap !== undefined && caps.root)('isolation with nice and affinity', () => {
  it('a Maximum job runs with the nice value and cores asked for, and they are read back', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({
      command: { kind: 'shell', script: 'nice; grep Cpus_allowed_list /proc/self/status; sleep 3' },
      isolation: { level: 'maximum' },
      nice: -5,
      affinity: { mode: 'fixed', cores: [0] },
    });
    await waitForState(engine, job.id, 'running');
    await waitFor(() => engine.jobs.get(job.id).niceInForce === -5, 'nice -5 read back');
    expect(engine.jobs.get(job.id).cores).toEqual([0]);
    await waitForState(engine, job.id, 'exited');
    expect(tailText(engine, job.id)).toMatch(/-5\n.*Cpus_allowed_list:\s+0\n/s);
  });
});
