import { afterEach, describe, expect, it } from 'vitest';
import { MonitorHarness } from './monitorHarness';
import { readProcTable } from '../../../electron/engine/monitor/procTable';
import { ProcessTextCache, readCommandLine } from '../../../electron/engine/monitor/processText';
import { SystemProcessLister } from '../../../electron/engine/monitor/systemProcessList';
import { snapshotOf } from '../../../electron/engine/monitor/treeUsage';
import { parsePasswd } from '../../../electron/engine/monitor/userNames';
import { systemProcessQuerySchema, type MonitorTick, type SystemProcessQueryInput } from '../../../shared/monitoring';
import { waitFor } from '../../support/wait';
import { bracket, expectWithin, sampledTicks, ticksBetween, waitForCpu } from './kernelCpu';
import { killOutside, sleepToken, startOutside } from './outsideProcesses';
import { cmdlineOf, waitForOutput, waitUntilSleeping } from './processes';

afterEach(killOutside);

const NOBODY = 65534;
const query = (input: SystemProcessQueryInput) => systemProcessQuerySchema.parse(input);
const scan = () => snapshotOf(readProcTable({ nice: true }));

describe('system process list', () => {
  it('lists a process started outside Procdeck with its user, command, nice, state and CPU', async () => {
    const idle = startOutside('sleep', ['3001'], { uid: NOBODY, gid: NOBODY });
    const busy = startOutside('nice', ['-n', '7', 'sh', '-c', 'while :; do :; done; # busy-3001']);
    // nice has exec'd the shell, and sleep is in its sleep.
    await waitFor(() => cmdlineOf(busy.pid)?.startsWith('sh -c'), 'nice to exec sh');
    await waitUntilSleeping([idle.pid]);
    const lister = new SystemProcessLister();
    // Neither process reaps children: the kernel's totals are their own CPU, the list's figure.
    const pids = [idle.pid, busy.pid];
    const previous = bracket(pids, scan);
    await waitForCpu([busy.pid], previous.after, 20, 'the busy loop');
    const current = bracket(pids, scan);
    const list = lister.list(current.value, previous.value, query({ filter: '3001', sort: 'pid', descending: false }));
    const ticksOf = (cpu: number | undefined) => sampledTicks(cpu ?? Number.NaN, current.value, previous.value);

    expect(list.total).toBeGreaterThan(list.processes.length);
    const idleRow = list.processes.find((p) => p.pid === idle.pid);
    expect(idleRow).toMatchObject({ ppid: process.pid, uid: NOBODY, user: 'nobody', command: 'sleep 3001', nice: 0, threads: 1, depth: 0 });
    expect(idleRow?.state).toMatch(/^[SR]$/);
    expectWithin(ticksOf(idleRow?.cpu), ticksBetween(previous, current, [idle.pid]), 'ticks of the sleeping process');

    const busyRow = list.processes.find((p) => p.pid === busy.pid);
    expect(busyRow).toMatchObject({ user: 'root', uid: 0, nice: 7, command: 'sh -c while :; do :; done; # busy-3001' });
    expectWithin(ticksOf(busyRow?.cpu), ticksBetween(previous, current, [busy.pid]), 'ticks of the busy loop');
    expect(busyRow?.cpu).toBeGreaterThan(0);
    expect(busyRow?.rss).toBeGreaterThan(0);
  });

  it('shows the process in tree mode under its ancestors, down from the test runner', async () => {
    const idle = startOutside('sleep', ['3002']);
    const list = new SystemProcessLister().list(scan(), undefined, query({ filter: 'sleep 3002', tree: true }));
    const rows = list.processes;
    expect(rows.at(-1)).toMatchObject({ pid: idle.pid });
    const runner = rows.find((r) => r.pid === process.pid);
    expect(runner).toBeDefined();
    expect(rows.at(-1)!.depth).toBe(runner!.depth + 1);
    rows.forEach((row, i) => expect(row.depth).toBe(i));
  });

  it('is pushed with every tick while the view is open, and stops when its lease runs out', async () => {
    const idle = startOutside('sleep', ['3003']);
    let now = Date.now();
    const monitoring = new MonitorHarness({ runOf: () => undefined, now: () => now });
    expect(monitoring.machine.needsTicks()).toBe(false);
    monitoring.machine.viewSystem({ processes: { filter: 'sleep 3003' } }, 5000);
    expect(monitoring.machine.needsTicks()).toBe(true);
    const { tick } = monitoring.tick(new Map());
    expect(tick?.processLists).toHaveLength(1);
    expect(tick?.processLists?.[0]?.viewers).toEqual(['default']);
    expect(tick?.processLists?.[0]?.list.processes.map((p) => p.pid)).toEqual([idle.pid]);
    expect(tick?.system?.cores.length).toBeGreaterThan(0);

    now += 6000;
    expect(monitoring.machine.needsTicks()).toBe(false);
    // Idle ticks carry only the machine's figures: no process list once the lease is over.
    expect(monitoring.tick(new Map()).tick.processLists).toBeUndefined();
    // Asked directly, the list is still there (a fresh scan, without disturbing the ticks).
    expect(monitoring.machine.systemProcesses({ filter: 'sleep 3003' }).processes.map((p) => p.pid)).toEqual([idle.pid]);
  });
});

describe('system view leases, one per viewer', () => {
  const pidsFor = (tick: MonitorTick | undefined, viewer: string) =>
    tick?.processLists?.find((l) => l.viewers.includes(viewer))?.list.processes.map((p) => p.pid);

  it("keeps one viewer's list coming when another closes its view or lets its lease run out", async () => {
    const idle = startOutside('sleep', ['3004']);
    let now = Date.now();
    const monitoring = new MonitorHarness({ runOf: () => undefined, now: () => now });
    monitoring.machine.viewSystem({ processes: { filter: 'sleep 3004' } }, 5000, 'tab-a');
    monitoring.machine.viewSystem({ processes: { filter: 'sleep 3004' } }, 60_000, 'tab-b');
    const both = monitoring.tick(new Map()).tick;
    // The same query is listed once, for both.
    expect(both?.processLists).toHaveLength(1);
    expect(both?.processLists?.[0]?.viewers.sort()).toEqual(['tab-a', 'tab-b']);

    monitoring.machine.closeSystemView('tab-a');
    let tick = monitoring.tick(new Map()).tick;
    expect(pidsFor(tick, 'tab-b')).toEqual([idle.pid]);
    expect(pidsFor(tick, 'tab-a')).toBeUndefined();

    monitoring.machine.viewSystem({ processes: { filter: 'sleep 3004' } }, 5000, 'tab-a');
    now += 6000;
    tick = monitoring.tick(new Map()).tick;
    expect(pidsFor(tick, 'tab-b')).toEqual([idle.pid]);
    expect(pidsFor(tick, 'tab-a')).toBeUndefined();
    expect(monitoring.machine.needsTicks()).toBe(true);

    monitoring.machine.closeSystemView('tab-b');
    expect(monitoring.machine.needsTicks()).toBe(false);
  });

  it("gives each viewer the order of its own query, from one scan", async () => {
    const token = sleepToken(3005);
    const small = startOutside('sleep', [token]);
    const large = startOutside(process.execPath, ['-e', 'const b = Buffer.alloc(64 * 1024 * 1024, 1); console.log("ready"); setInterval(() => b[0]++, 1000);', `sleep ${token}`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await waitForOutput(large, 'ready');
    const monitoring = new MonitorHarness({ runOf: () => undefined });
    monitoring.machine.viewSystem({ processes: { filter: token, sort: 'memory', descending: true } }, 60_000, 'tab-a');
    monitoring.machine.viewSystem({ processes: { filter: token, sort: 'memory', descending: false } }, 60_000, 'tab-b');
    monitoring.machine.viewSystem({}, 60_000, 'tab-c');
    const { tick } = monitoring.tick(new Map());
    expect(pidsFor(tick, 'tab-a')).toEqual([large.pid, small.pid]);
    expect(pidsFor(tick, 'tab-b')).toEqual([small.pid, large.pid]);
    // A viewer with only the machine's figures on screen gets no list.
    expect(pidsFor(tick, 'tab-c')).toBeUndefined();
    expect(tick?.processLists).toHaveLength(2);
  });
});

describe('command lines and users', () => {
  it('reads cmdline with NULs as spaces, and shows kernel threads as [comm]', async () => {
    const child = startOutside('sh', ['-c', 'sleep 300', 'name with spaces']);
    expect(readCommandLine(child.pid, 'sh')).toBe('sh -c sleep 300 name with spaces');
    const kthreadd = readProcTable().processes.get(2);
    if (kthreadd && kthreadd.ppid === 0) expect(readCommandLine(2, kthreadd.comm)).toBe(`[${kthreadd.comm}]`);
    expect(readCommandLine(2 ** 22 + 7, 'gone')).toBe('[gone]');
  });

  it('caches by pid + start time + comm, so an exec in place is seen', async () => {
    // The shell execs sleep once the test writes a line.
    const child = startOutside('sh', ['-c', 'read go; exec sleep 3004'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const cache = new ProcessTextCache();
    const before = readProcTable().processes.get(child.pid)!;
    expect(cache.command(before)).toBe('sh -c read go; exec sleep 3004');
    child.stdin!.end('go\n');
    await waitFor(() => cmdlineOf(child.pid) === 'sleep 3004', 'the exec of sleep');
    const after = readProcTable().processes.get(child.pid)!;
    expect(after.startTime).toBe(before.startTime);
    expect(cache.command(after)).toBe('sleep 3004');
    cache.prune(new Map());
    expect(cache.size).toBe(0);
  });

  it('parses /etc/passwd, first line winning', () => {
    const names = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\nnobody:x:65534:65534::/:/bin/false\ntoor:x:0:0::/:/bin/sh\n');
    expect(names.get(0)).toBe('root');
    expect(names.get(65534)).toBe('nobody');
    expect(names.size).toBe(2);
  });
});
