// Every tracking mechanism this machine offers, forced one at a time: a job that forks
// without pause (double forks into new sessions) is killed to the last process, and its
// cgroup removed. cgroup.kill and the freezers are race-free; the v1 loop kills and lists
// again until nothing is left.
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findBinary, NAMED_HIERARCHY, probeCapabilities, type Capabilities, type TrackingCgroup } from '../../../electron/engine/isolation/capabilities';
import { readCommandLine } from '../../../electron/engine/monitor/processText';
import { groupAndSession, killAllWith, processesWith, sleepersWith, uniqueToken } from '../escapees';
import { cleanupLaunched, launch, waitFor } from './helpers';

const machine = probeCapabilities();
const mountsText = spawnSync('cat', ['/proc/self/mounts'], { encoding: 'utf8' }).stdout;
const without = (...kinds: string[]) =>
  mountsText
    .split('\n')
    .filter((line) => !kinds.some((kind) => (kind === 'cgroup2' ? line.split(' ')[2] === 'cgroup2' : line.split(' ')[3]?.split(',').includes(kind))))
    .join('\n');

const namedMount = mkdtempSync(join(tmpdir(), 'procdeck-named-'));
function probe(hidden: string[], options: { named?: boolean } = {}): TrackingCgroup | undefined {
  return probeCapabilities({ mountsText: without(...hidden), skipTrials: true, namedMount: options.named ? namedMount : false }).tracking;
}

/** What each probe must have found, or undefined when this machine lacks it. */
const expectKind = (tracking: TrackingCgroup | undefined, kind: string) =>
  tracking && (tracking.version === 2 ? (tracking.kill ? 'v2-kill' : 'v2') : tracking.hierarchy) === kind ? tracking : undefined;
const v2 = probe([]);
const mechanisms: [string, TrackingCgroup | undefined][] = [
  ['cgroup v2 with cgroup.kill', expectKind(v2, 'v2-kill')],
  ['cgroup v2 without cgroup.kill (freeze, kill, thaw)', v2?.version === 2 ? { ...v2, kill: false } : undefined],
  ['the v1 freezer (FROZEN, kill, THAWED)', expectKind(probe(['cgroup2']), 'freezer')],
  ['the v1 pids hierarchy (kill and list again)', expectKind(probe(['cgroup2', 'freezer']), 'pids')],
  // Its own mount, always: a name=procdeck mount this file's load saw may be another test run's, unmounted and deleted by it in the meantime.
  [
    'a name=procdeck hierarchy mounted by Procdeck',
    machine.root && findBinary('mount') ? expectKind(probe(['cgroup2', 'freezer', 'pids', NAMED_HIERARCHY], { named: true }), NAMED_HIERARCHY) : undefined,
  ],
];

const tokens: string[] = [];
afterEach(async () => {
  await cleanupLaunched();
  for (const token of tokens.splice(0)) killAllWith(token);
});
afterAll(() => {
  spawnSync('umount', [namedMount]);
  rmSync(namedMount, { recursive: true, force: true });
});

describe.each(mechanisms)('tracked by %s', (name, tracking) => {
  it.runIf(tracking !== undefined)('kills a job that keeps forking into new sessions, to the last process', async () => {
    if (!tracking) throw new Error(`${name}: not available here`);
    const caps: Capabilities = { ...machine, tracking };
    const token = uniqueToken();
    tokens.push(token);
    // Each round double-forks a sleep into a new session: nothing a process-group kill reaches.
    const launched = launch({ command: { kind: 'shell', script: `while :; do (setsid sleep ${token} &); done` }, caps });
    await waitFor(() => processesWith(token).length >= 20, 'the job to fork a crowd of sleeps');
    expect(launched.launch.tracker.tracking.mechanism, launched.launch.tracker.tracking.problem).toBe(tracking.version === 2 ? 'cgroup-v2' : 'cgroup-v1');
    await launched.launch.tracker.killAll();
    await waitFor(() => processesWith(token).length === 0 && launched.launch.members().length === 0, () => `every process to be gone (left: ${processesWith(token).length})`);
    await launched.launch.cleanup(1000);
  });

  it.runIf(tracking !== undefined)('a run without limits is born in its cgroup, no wrapper before it, and the engine is back in its own', async () => {
    if (!tracking) throw new Error(`${name}: not available here`);
    const caps: Capabilities = { ...machine, tracking };
    const engineBefore = readFileSync('/proc/self/cgroup', 'utf8');
    // cat reads its own cgroups as it starts: what it prints is where it ran from its first instruction.
    const launched = launch({ command: { kind: 'argv', program: 'cat', args: ['/proc/self/cgroup'] }, caps });
    expect(readFileSync('/proc/self/cgroup', 'utf8')).toBe(engineBefore);
    expect(launched.launch.plan.bornInto).toBeDefined();
    expect(launched.launch.plan.file).toMatch(/\/cat$/);
    const { end } = await launched.ended();
    expect(end).toEqual({ kind: 'exit', exitCode: 0 });
    expect(launched.output()).toContain(`/procdeck/${launched.cgroupName}\n`);
    await launched.launch.cleanup(1000);
  });

  it.runIf(tracking !== undefined)('lists a process forked after the list was read, at the very next read', async () => {
    if (!tracking) throw new Error(`${name}: not available here`);
    const caps: Capabilities = { ...machine, tracking };
    const token = uniqueToken();
    tokens.push(token);
    const gate = join(mkdtempSync(join(tmpdir(), 'procdeck-gate-')), 'gate');
    expect(spawnSync('mkfifo', [gate]).status).toBe(0);
    // The job holds still at its gate, then starts a second sleep in a session of its own.
    const launched = launch({ command: { kind: 'shell', script: `sleep ${token} & read line < ${gate}; setsid sleep ${token} & wait` }, caps });
    const first = await waitFor(() => sleepersWith(token)[0], 'the first sleep');
    await waitFor(() => launched.launch.members().includes(first), 'the first sleep in the member list');
    // Non-blocking: a job that never opens its gate fails the wait, not the whole test file.
    await waitFor(() => {
      try {
        const fd = openSync(gate, constants.O_WRONLY | constants.O_NONBLOCK);
        writeSync(fd, 'go\n');
        closeSync(fd);
        return true;
      } catch {
        return false;
      }
    }, 'the job to open its gate');
    // The list is read at every poll: on v1 a cgroup.procs kept open and read more often than
    // once a second would keep showing the list of its first read.
    const second = await waitFor(() => {
      launched.launch.members();
      return sleepersWith(token).find((pid) => pid !== first);
    }, 'the second sleep');
    expect(launched.launch.members()).toEqual(expect.arrayContaining([first, second]));
    await launched.launch.tracker.killAll();
    await launched.ended();
    await launched.launch.cleanup(1000);
    rmSync(dirname(gate), { recursive: true, force: true });
  });

  it.runIf(tracking !== undefined)('TERM then CONT in one pass ends a stopped process that left the process group and handles TERM', async () => {
    if (!tracking) throw new Error(`${name}: not available here`);
    const caps: Capabilities = { ...machine, tracking };
    const token = uniqueToken();
    tokens.push(token);
    // The escapee traps TERM: stopped, it keeps TERM pending until it is continued, and no group signal reaches it.
    const launched = launch({ command: { kind: 'shell', script: `setsid sh -c 'trap "exit 0" TERM; sleep ${token} & wait' & wait` }, caps });
    const escapee = await waitFor(() => processesWith(token).find((pid) => pid !== launched.pid && readCommandLine(pid, '').includes('trap') && groupAndSession(pid)?.sid === pid), 'the escapee in its own session');
    await waitFor(() => sleepersWith(token).length === 1, 'its sleep');
    process.kill(escapee, 'SIGSTOP');
    await waitFor(() => readFileSync(`/proc/${escapee}/stat`, 'latin1').split(') ')[1]?.startsWith('T'), 'the escapee to be stopped');
    launched.launch.tracker.signalAll(['SIGTERM', 'SIGCONT']);
    await waitFor(() => processesWith(token).length === 0, () => `every process to be gone (left: ${processesWith(token).join(', ')})`);
    await launched.ended();
    await launched.launch.cleanup(1000);
  });

  it.runIf(tracking !== undefined)('signals every member but the one its process group already reached', async () => {
    if (!tracking) throw new Error(`${name}: not available here`);
    const caps: Capabilities = { ...machine, tracking };
    const token = uniqueToken();
    tokens.push(token);
    // The leader execs into a sleep; a second sleep runs beside it in the same cgroup.
    const launched = launch({ command: { kind: 'shell', script: `sleep ${token} & exec sleep ${token}` }, caps });
    const other = await waitFor(() => sleepersWith(token).find((pid) => pid !== launched.pid), 'the second sleep');
    await waitFor(() => readCommandLine(launched.pid, '').startsWith('sleep'), 'the leader to exec its sleep');
    const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.charAt(0);
    launched.launch.tracker.signalAll(['SIGSTOP'], launched.pid);
    await waitFor(() => state(other) === 'T', 'the other member to be stopped');
    expect(state(launched.pid)).not.toBe('T');
    launched.launch.tracker.signalAll(['SIGCONT']);
    await launched.launch.tracker.killAll();
    await launched.ended();
    await launched.launch.cleanup(1000);
  });
});

if (mechanisms.some(([, tracking]) => tracking === undefined)) {
  describe('mechanisms this machine lacks', () => {
    it('are named, not passed silently', () => {
      const missing = mechanisms.filter(([, tracking]) => tracking === undefined).map(([name]) => name);
      console.warn(`tracking.real.test: not tested here (not available): ${missing.join('; ')}`);
      expect(missing.length).toBeLessThan(mechanisms.length);
    });
  });
}

describe('a tracking cgroup the kernel refuses', () => {
  it('falls back to the marker, saying why, and the job still runs', async () => {
    const caps: Capabilities = { ...machine, tracking: { version: 2, base: '/nonexistent/procdeck', kill: true } };
    const launched = launch({ command: { kind: 'shell', script: 'echo ran' }, caps });
    expect(launched.launch.tracker.tracking).toMatchObject({ mechanism: 'marker', problem: expect.stringMatching(/could not set up the job's cgroup .*ENOENT/) });
    await launched.ended();
    expect(launched.output()).toBe('ran\n');
  });
});
