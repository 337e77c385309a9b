import { afterEach, describe, expect, it } from 'vitest';
import { Monitoring } from '../../../electron/engine/monitor/monitoring';
import { ProcScanner, type ProcScanRequest } from '../../../electron/engine/monitor/procScanner';
import { signalProcess } from '../../../electron/engine/monitor/processActions';
import { alertRuleSchema, type MonitorTick } from '../../../shared/monitoring';
import { killOutside, startOutside } from './outsideProcesses';
import { exited, killGroups, sleep, startGroup, waitForOutput } from './processes';

const MiB = 1024 * 1024;

afterEach(async () => {
  await killOutside();
  await killGroups();
});

async function tickFor(monitoring: Monitoring, roots: Map<string, number>, ms: number, everyMs = 200): Promise<MonitorTick[]> {
  const ticks: MonitorTick[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    monitoring.tick(roots);
    const tick = monitoring.takeTick();
    if (tick) ticks.push(tick);
    await sleep(everyMs);
  }
  return ticks;
}

describe('Monitoring', () => {
  it('watches a process it did not start: samples, history, tree detail, metrics, and the end of the watch', async () => {
    const outside = startOutside('sh', ['-c', 'yes > /dev/null & sleep 300; wait']);
    await sleep(100);
    const monitoring = new Monitoring({ runOf: () => undefined });
    const watched = monitoring.watch({ pid: outside.pid });
    expect(monitoring.watch({ pid: outside.pid })).toBe(watched);
    expect(watched.command).toBe('sh -c yes > /dev/null & sleep 300; wait');
    expect(monitoring.needsTicks()).toBe(true);

    const ticks = await tickFor(monitoring, new Map(), 1000);
    const last = ticks.at(-1)!.watched.find((w) => w.id === watched.id)!;
    expect(last.processes).toBe(3);
    expect(last.cpu).toBeGreaterThan(10);
    expect(monitoring.subject(watched.id)!.history('1m').length).toBe(ticks.length);
    expect(monitoring.treeDetail(watched.id)!.processes.map((p) => p.command).sort()).toEqual(['sh -c yes > /dev/null & sleep 300; wait', 'sleep 300', 'yes'].sort());
    const metrics = monitoring.subject(watched.id)!.metrics({ outputBytes: 0 });
    expect(metrics.cpuSeconds).toBeGreaterThan(0.05);
    expect(metrics.startedAt).toBeLessThanOrEqual(Date.now());
    expect(metrics.startedAt).toBeGreaterThan(Date.now() - 10_000);

    expect(() => monitoring.setAlertRules(watched.id, [alertRuleSchema.parse({ id: 'r', kind: 'leak', action: 'restart' })])).toThrow(/cannot be restarted/);
    monitoring.setAlertRules(watched.id, [alertRuleSchema.parse({ id: 'r', kind: 'leak', action: 'stop' })]);

    await killOutside();
    monitoring.tick(new Map());
    expect(monitoring.takeTick()!.watchEnded.map((w) => w.id)).toEqual([watched.id]);
    expect(monitoring.watchedProcesses()[0]!.endedAt).toBeDefined();
    expect(monitoring.needsTicks()).toBe(false);
    expect(monitoring.subject(watched.id)!.csv().split('\n').length).toBe(ticks.length + 2);
    expect(monitoring.unwatch(watched.id)).toBe(true);
    expect(monitoring.subject(watched.id)).toBeUndefined();
  });

  it('refuses to watch a gone process or a reused pid', async () => {
    const monitoring = new Monitoring({ runOf: () => undefined });
    expect(() => monitoring.watch({ pid: 2 ** 22 + 3 })).toThrow(/no such process/);
    const outside = startOutside('sleep', ['300']);
    expect(() => monitoring.watch({ pid: outside.pid, startTime: 1 })).toThrow(/another process/);
  });

  it('fires a memory rule on a real hog once, with the stop action, and records it', async () => {
    const hog = startGroup(process.execPath, ['-e', 'const b = Buffer.alloc(150 * 1024 * 1024, 1); console.log("ready"); setInterval(() => b[0]++, 1000);'], 'pipe');
    await waitForOutput(hog, 'ready');
    const startedAt = Date.now();
    const monitoring = new Monitoring({ runOf: () => ({ runId: 'run-1', startedAt }) });
    monitoring.setAlertRules('hog', [alertRuleSchema.parse({ id: 'mem', kind: 'memory', bytes: 100 * MiB, action: 'stop' })]);
    const ticks = await tickFor(monitoring, new Map([['hog', hog.pid]]), 800);
    const alerts = ticks.flatMap((t) => t.alerts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ subjectId: 'hog', action: 'stop', rule: { id: 'mem' } });
    expect(alerts[0]!.value).toBeGreaterThan(150 * MiB);
    expect(monitoring.alertHistory('hog')).toEqual(alerts);
    // What the engine does with a stop action: end the job.
    signalProcess({ pid: hog.pid }, 'SIGTERM');
    await exited(hog);
    expect(hog.signalCode).toBe('SIGTERM');
  });

  it('starts a fresh history and metrics when a job begins a new run, and answers only jobs from sample()', async () => {
    const job = startGroup('sleep', ['300']);
    let run = { runId: 'run-1', startedAt: Date.now() };
    const monitoring = new Monitoring({ runOf: () => run });
    const outside = startOutside('sleep', ['301']);
    monitoring.watch({ pid: outside.pid });
    const roots = new Map([['job', job.pid]]);
    for (let i = 0; i < 3; i++) {
      const usage = await monitoring.sample(roots);
      expect([...usage.keys()]).toEqual(['job']);
      await sleep(20);
    }
    expect(monitoring.subject('job')!.metrics({ outputBytes: 0 }).samples).toBe(3);
    run = { runId: 'run-2', startedAt: Date.now() };
    await monitoring.sample(roots);
    expect(monitoring.subject('job')!.metrics({ outputBytes: 0 })).toMatchObject({ runId: 'run-2', samples: 1 });
    monitoring.forget('job');
    expect(monitoring.subject('job')).toBeUndefined();
  });

  it('reads every process while the system list is open (its CPU column is right), only the sampled trees otherwise', async () => {
    const busy = startOutside('sh', ['-c', 'while :; do :; done']);
    const job = startGroup('sleep', ['300']);
    const scanner = new ProcScanner({ fullEvery: 1000 });
    const asked: boolean[] = [];
    const monitoring = new Monitoring({
      runOf: () => ({ runId: 'run', startedAt: Date.now() }),
      scanner: {
        scan: (request: ProcScanRequest) => {
          asked.push(request.everything ?? false);
          return scanner.scan(request);
        },
        reset: () => scanner.reset(),
        dispose: () => scanner.dispose(),
      },
    });
    const roots = new Map([['job', job.pid]]);
    await tickFor(monitoring, roots, 600);
    monitoring.viewSystem({ processes: { filter: String(busy.pid) } });
    const listed = await tickFor(monitoring, roots, 700);
    const row = listed.at(-1)!.processLists![0]!.list.processes.find((p) => p.pid === busy.pid);
    expect(row?.cpu).toBeGreaterThan(30);
    monitoring.closeSystemView();
    const closed = await tickFor(monitoring, roots, 400);
    expect(closed.every((t) => t.processLists === undefined)).toBe(true);
    const lists = asked.length - closed.length;
    expect(asked.slice(0, lists).filter(Boolean).length).toBe(listed.length);
    expect(asked.slice(lists)).toEqual(closed.map(() => false));
    monitoring.dispose();
  });

  it('skips the /proc scan when nothing is monitored, and still reports the machine', async () => {
    let scans = 0;
    const monitoring = new Monitoring({
      runOf: () => undefined,
      scanner: {
        scan: () => {
          scans++;
          throw new Error('no scan expected');
        },
        reset: () => undefined,
        dispose: () => undefined,
      },
    });
    expect(monitoring.tick(new Map()).size).toBe(0);
    const tick = monitoring.takeTick();
    expect(tick).toMatchObject({ watched: [], leaks: [], alerts: [] });
    expect(tick?.system?.cores.length).toBeGreaterThan(0);
    expect(scans).toBe(0);
  });
});
