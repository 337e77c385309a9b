import { afterEach, describe, expect, it } from 'vitest';
import { MonitorHarness } from './monitorHarness';
import { ProcScanner, type ProcScanRequest } from '../../../electron/engine/monitor/procScanner';
import { signalProcess } from '../../../electron/engine/monitor/processActions';
import type { ProcSnapshot } from '../../../electron/engine/monitor/treeUsage';
import { alertRuleSchema, type MonitorTick } from '../../../shared/monitoring';
import { bracket, clockTicks, cpuBetween, expectWithin, sampledTicks, ticksAt, ticksBetween, waitForCpu, type Bracketed } from './kernelCpu';
import { killOutside, startOutside } from './outsideProcesses';
import { exited, killGroups, startGroup, waitForChildren, waitForOutput } from './processes';

const MiB = 1024 * 1024;

afterEach(async () => {
  await killOutside();
  await killGroups();
});

/** Ticks `count` times in a row, with what each tick produced. Nothing here needs time to pass between ticks. */
function tickTimes(monitoring: MonitorHarness, roots: Map<string, number>, count: number): MonitorTick[] {
  const ticks: MonitorTick[] = [];
  for (let i = 0; i < count; i++) ticks.push(monitoring.tick(roots).tick);
  return ticks;
}

/** One tick between two readings of the pids' CPU. */
function bracketTick(monitoring: MonitorHarness, roots: Map<string, number>, pids: readonly number[]): Bracketed<MonitorTick> {
  return bracket(pids, () => monitoring.tick(roots).tick);
}

describe('Monitoring', () => {
  it('watches a process it did not start: samples, history, tree detail, metrics, and the end of the watch', async () => {
    const spawnedAfter = Date.now();
    const outside = startOutside('sh', ['-c', 'yes > /dev/null & sleep 300; wait']);
    const spawnedBefore = Date.now();
    const [yes] = await waitForChildren(outside.pid, 1, /^yes$/);
    const [nap] = await waitForChildren(outside.pid, 1, /^sleep 300$/);
    const pids = [outside.pid, yes!, nap!];
    const monitoring = new MonitorHarness({ runOf: () => undefined });
    const watched = monitoring.machine.watch({ pid: outside.pid });
    expect(monitoring.machine.watch({ pid: outside.pid })).toBe(watched);
    expect(watched.command).toBe('sh -c yes > /dev/null & sleep 300; wait');
    expect(monitoring.machine.needsTicks()).toBe(true);

    const calls = [bracketTick(monitoring, new Map(), pids)];
    for (let i = 0; i < 3; i++) {
      await waitForCpu([yes!], calls.at(-1)!.after, 5, 'the busy child');
      calls.push(bracketTick(monitoring, new Map(), pids));
    }
    const ticks = calls.map((call) => call.value);
    const last = ticks.at(-1)!.watched.find((w) => w.id === watched.id)!;
    expect(last.processes).toBe(3);
    expectWithin(last.cpu, cpuBetween(calls.at(-2)!, calls.at(-1)!), 'CPU of the watched tree');
    expect(last.cpu).toBeGreaterThan(0);
    expect(monitoring.monitor.subject(watched.id)!.history('1m').length).toBe(ticks.length);
    expect(monitoring.monitor.treeDetail(watched.id)!.processes.map((p) => p.command).sort()).toEqual(['sh -c yes > /dev/null & sleep 300; wait', 'sleep 300', 'yes'].sort());
    const metrics = monitoring.monitor.subject(watched.id)!.metrics({ outputBytes: 0 });
    // Everything the tree used in its life, as the kernel counted it at the last tick.
    expectWithin(metrics.cpuSeconds * clockTicks(), ticksAt(calls.at(-1)!), 'CPU ticks of the whole watch');
    // Its start as the kernel dates it, to a clock tick; the first tick's own duration may push it earlier.
    const tickMs = 1000 / clockTicks();
    const firstTickMs = calls[0]!.after.at - calls[0]!.before.at;
    expect(metrics.startedAt).toBeGreaterThanOrEqual(spawnedAfter - tickMs - firstTickMs - 1);
    expect(metrics.startedAt).toBeLessThanOrEqual(spawnedBefore + tickMs + 1);

    expect(() => monitoring.monitor.setAlertRules(watched.id, [alertRuleSchema.parse({ id: 'r', kind: 'leak', action: 'restart' })])).toThrow(/cannot be restarted/);
    monitoring.monitor.setAlertRules(watched.id, [alertRuleSchema.parse({ id: 'r', kind: 'leak', action: 'stop' })]);

    await killOutside();
    expect(monitoring.tick(new Map()).tick.watchEnded.map((w) => w.id)).toEqual([watched.id]);
    expect(monitoring.machine.watchedProcesses()[0]!.endedAt).toBeDefined();
    expect(monitoring.machine.needsTicks()).toBe(false);
    expect(monitoring.monitor.subject(watched.id)!.csv().split('\n').length).toBe(ticks.length + 2);
    expect(monitoring.monitor.unwatch(watched.id)).toBe(true);
    expect(monitoring.monitor.subject(watched.id)).toBeUndefined();
  });

  it('refuses to watch a gone process or a reused pid', async () => {
    const monitoring = new MonitorHarness({ runOf: () => undefined });
    expect(() => monitoring.machine.watch({ pid: 2 ** 22 + 3 })).toThrow(/no such process/);
    const outside = startOutside('sleep', ['300']);
    expect(() => monitoring.machine.watch({ pid: outside.pid, startTime: 1 })).toThrow(/another process/);
  });

  it('fires a memory rule on a real hog once, with the stop action, and records it', async () => {
    const hog = startGroup(process.execPath, ['-e', 'const b = Buffer.alloc(150 * 1024 * 1024, 1); console.log("ready"); setInterval(() => b[0]++, 1000);'], { stdout: 'pipe' });
    await waitForOutput(hog, 'ready');
    const startedAt = Date.now();
    const monitoring = new MonitorHarness({ runOf: () => ({ runId: 'run-1', startedAt }) });
    monitoring.monitor.setAlertRules('hog', [alertRuleSchema.parse({ id: 'mem', kind: 'memory', bytes: 100 * MiB, action: 'stop' })]);
    const ticks = tickTimes(monitoring, new Map([['hog', hog.pid]]), 4);
    const alerts = ticks.flatMap((t) => t.alerts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ subjectId: 'hog', action: 'stop', rule: { id: 'mem' } });
    expect(alerts[0]!.value).toBeGreaterThan(150 * MiB);
    expect(monitoring.monitor.alertHistory('hog')).toEqual(alerts);
    // What the engine does with a stop action: end the job.
    signalProcess({ pid: hog.pid }, 'SIGTERM');
    await exited(hog);
    expect(hog.signalCode).toBe('SIGTERM');
  });

  it('starts a fresh history and metrics when a job begins a new run, and answers only jobs from sample()', async () => {
    const job = startGroup('sleep', ['300']);
    let run = { runId: 'run-1', startedAt: Date.now() };
    const monitoring = new MonitorHarness({ runOf: () => run });
    const outside = startOutside('sleep', ['301']);
    monitoring.machine.watch({ pid: outside.pid });
    const roots = new Map([['job', job.pid]]);
    for (let i = 0; i < 3; i++) {
      const { usage } = monitoring.tick(roots);
      expect([...usage.keys()]).toEqual(['job']);
    }
    expect(monitoring.monitor.subject('job')!.metrics({ outputBytes: 0 }).samples).toBe(3);
    run = { runId: 'run-2', startedAt: Date.now() };
    monitoring.tick(roots);
    expect(monitoring.monitor.subject('job')!.metrics({ outputBytes: 0 })).toMatchObject({ runId: 'run-2', samples: 1 });
    monitoring.monitor.forget('job');
    expect(monitoring.monitor.subject('job')).toBeUndefined();
  });

  it('reads every process while the system list is open (its CPU column is right), only the sampled trees otherwise', async () => {
    const busy = startOutside('sh', ['-c', 'while :; do :; done']);
    const job = startGroup('sleep', ['300']);
    const scanner = new ProcScanner({ fullEvery: 1000 });
    const asked: boolean[] = [];
    const scans: Bracketed<ProcSnapshot>[] = [];
    const monitoring = new MonitorHarness({
      runOf: () => ({ runId: 'run', startedAt: Date.now() }),
      scanner: {
        scan: (request: ProcScanRequest) => {
          asked.push(request.everything ?? false);
          // The busy loop reaps nothing: its total is its own CPU, the list's figure.
          const scan = bracket([busy.pid], () => scanner.scan(request));
          scans.push(scan);
          return scan.value;
        },
        reset: () => scanner.reset(),
        dispose: () => scanner.dispose(),
      },
    });
    const roots = new Map([['job', job.pid]]);
    tickTimes(monitoring, roots, 3);
    monitoring.machine.viewSystem({ processes: { filter: String(busy.pid) } });
    const listed: MonitorTick[] = [];
    for (let i = 0; i < 3; i++) {
      await waitForCpu([busy.pid], scans.at(-1)!.after, 5, 'the busy process');
      listed.push(...tickTimes(monitoring, roots, 1));
    }
    const row = listed.at(-1)!.processLists![0]!.list.processes.find((p) => p.pid === busy.pid);
    // The last two scans read every process: the row has the CPU the kernel gave it in between.
    const [previous, latest] = scans.slice(-2) as [Bracketed<ProcSnapshot>, Bracketed<ProcSnapshot>];
    expectWithin(sampledTicks(row!.cpu, latest.value, previous.value), ticksBetween(previous, latest), 'CPU ticks of the busy process in the list');
    expect(row!.cpu).toBeGreaterThan(0);
    monitoring.machine.closeSystemView();
    const closed = tickTimes(monitoring, roots, 3);
    expect(closed.every((t) => t.processLists === undefined)).toBe(true);
    const lists = asked.length - closed.length;
    expect(asked.slice(0, lists).filter(Boolean).length).toBe(listed.length);
    expect(asked.slice(lists)).toEqual(closed.map(() => false));
    monitoring.dispose();
  });

  it('skips the /proc scan and the machine figures when nothing is monitored or shown', async () => {
    let scans = 0;
    const monitoring = new MonitorHarness({
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
    // Nobody shows the machine's figures: not even /proc/stat is read.
    const quiet = monitoring.tick(new Map());
    expect(quiet.usage.size).toBe(0);
    expect(quiet.tick).toMatchObject({ watched: [], leaks: [], alerts: [] });
    expect(quiet.tick?.system).toBeUndefined();
    expect(scans).toBe(0);
  });
});
