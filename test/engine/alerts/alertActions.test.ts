import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import { closeEngines, openEngine, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

const fast = { sampleIntervalMs: 200 };

describe('alert actions on real jobs', () => {
  it('a memory hog is stopped by its memory rule, and the state says why', async () => {
    const engine = openEngine({ settings: fast });
    const notices: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));
    const job = engine.jobs.start({
      name: 'memory-hog',
      command: { kind: 'argv', program: process.execPath, args: ['-e', 'const b = Buffer.alloc(200 * 1024 * 1024, 1); setInterval(() => b[0]++, 1000)'] },
      alerts: [{ id: 'mem', kind: 'memory', bytes: 100 * 1024 * 1024, action: 'stop' }],
    });
    const ended = await waitForState(engine, job.id, 'killed', 20_000);
    expect(ended.reason).toMatch(/^alert: .*memory/i);
    // Stopped, by the alert rule (not the operator).
    expect(ended).toMatchObject({ endedBy: 'alert', endRequest: 'stop' });
    // The banner and the history name the job, and the threshold reads as it was set.
    expect(notices).toContainEqual(expect.stringMatching(/^Alert: memory-hog: memory \d+(\.\d+)? MiB above 100 MiB; stopping it$/));
    const history = engine.monitor.alertHistory(job.id);
    expect(history[0]).toMatchObject({ subjectId: job.id, action: 'stop', subjectName: 'memory-hog', message: expect.stringMatching(/^memory-hog: memory /) });
    expect(history[0]!.value).toBeGreaterThan(100 * 1024 * 1024);
  });

  it('a busy job is restarted by its CPU rule, with the alert recorded as the restart reason', async () => {
    const engine = openEngine({ settings: fast });
    const job = engine.jobs.start({
      command: { kind: 'shell', script: 'while :; do :; done' },
      alerts: [{ id: 'cpu', kind: 'cpu', percent: 30, forSeconds: 0.5, action: 'restart' }],
    });
    const restarted = await waitFor(() => {
      const now = engine.jobs.get(job.id);
      return now.runCount >= 2 && now.state === 'running' ? now : undefined;
    }, 'a restart by the alert', 20_000);
    expect(restarted.restarts.automatic).toBeGreaterThanOrEqual(1);
    expect(restarted.restarts.lastReason).toMatch(/^alert: .*CPU/i);
    engine.jobs.stop(job.id);
  });

  it('notify only tells the operator and leaves the job running', async () => {
    const engine = openEngine({ settings: fast });
    const notices: EventPayload<'engine.notice'>[] = [];
    engine.events.on('engine.notice', (n) => notices.push(n));
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' }, alerts: [{ id: 'rt', kind: 'runtime', seconds: 0.3 }] });
    await waitFor(() => notices.length > 0, 'a notice', 10_000);
    expect(notices[0]).toMatchObject({ level: 'warning' });
    expect(engine.jobs.get(job.id).state).toBe('running');
  });
});

describe('monitoring through the engine', () => {
  it('pushes machine figures each tick while a system view is open and watches a process started outside Procdeck', async () => {
    const engine = openEngine({ settings: fast });
    const system: EventPayload<'system.tick'>[] = [];
    const monitor: EventPayload<'monitor.tick'>[] = [];
    engine.events.on('system.tick', (s) => system.push(s));
    engine.events.on('monitor.tick', (m) => monitor.push(m));
    // The figures are measured only for someone who shows them (see systemTickAudience.test.ts).
    engine.monitor.viewSystem('default', true);
    await waitFor(() => system.length >= 2, 'system ticks with no job running', 5000);
    expect(system.at(-1)!.cores).toHaveLength(2);
    expect(system.at(-1)!.memory.total).toBeGreaterThan(0);

    const outsider = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      const list = engine.monitor.systemProcesses({ filter: 'sleep' });
      const row = list.processes.find((p) => p.pid === outsider.pid);
      expect(row).toBeDefined();
      const watched = engine.monitor.watch({ pid: outsider.pid!, startTime: row!.startTime });
      await waitFor(() => monitor.some((m) => m.watched.some((w) => w.id === watched.id)), 'a sample of the watched process', 5000);
      expect(engine.monitor.history(watched.id, 'run').length).toBeGreaterThan(0);
      // Rules of a watched process are kept by the engine and can be read back (after a page reload).
      engine.monitor.setAlertRules(watched.id, [{ id: 'big', kind: 'memory', bytes: 1024 ** 3, forSeconds: 0, action: 'notify' }]);
      expect(engine.monitor.alertRules(watched.id)).toMatchObject([{ id: 'big', kind: 'memory' }]);
      expect(engine.monitor.leaks()).toEqual([]);
      // Its alerts name it by pid and command line: it has no job name.
      engine.monitor.setAlertRules(watched.id, [{ id: 'any', kind: 'memory', bytes: 1, forSeconds: 0, action: 'notify' }]);
      const [alert] = await waitFor(
        () => {
          const fired = engine.monitor.alertHistory(watched.id);
          return fired.length > 0 ? fired : undefined;
        },
        'an alert of the watched process',
        5000,
      );
      expect(alert).toMatchObject({ subjectName: `process ${outsider.pid} (sleep 300)` });
      expect(alert!.message).toMatch(/^process \d+ \(sleep 300\): memory .* above 1 B$/);
    } finally {
      outsider.kill('SIGKILL');
    }
  });

  it('run metrics and CSV export of a job', async () => {
    const engine = openEngine({ settings: fast });
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'i=0; while [ $i -lt 1500000 ]; do i=$((i+1)); done; echo done' } });
    await waitForState(engine, job.id, 'exited', 20_000);
    const metrics = engine.monitor.runMetrics(job.id);
    expect(metrics).not.toBeNull();
    expect(metrics!.peakCpu).toBeGreaterThan(0);
    expect(metrics!.outputBytes).toBe(5);
    const csv = engine.monitor.csv(job.id).trim().split('\n');
    expect(csv[0]).toBe('time_iso,epoch_ms,cpu_percent,rss_bytes,processes');
    expect(csv.length - 1).toBe(engine.monitor.history(job.id, 'run', 2000).length);
  });
});
