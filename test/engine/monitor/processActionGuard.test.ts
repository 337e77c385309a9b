import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { processAffinityRequestSchema, processReniceRequestSchema, processSignalRequestSchema } from '../../../shared/monitoring';
import { reniceOnRequest, setAffinityOnRequest, signalOnRequest, signalProcess } from '../../../electron/engine/monitor/processActions';
import { parseProcStat } from '../../../electron/engine/monitor/procStat';
import { waitFor } from '../../support/wait';
import { killOutside, startOutside, stateOf } from './outsideProcesses';
import { exited } from './processes';

afterEach(killOutside);

const root = process.getuid?.() === 0;
const allCores = cpus().map((_, core) => core);

function statOf(pid: number) {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), 1)!;
}
const startTimeOf = (pid: number) => statOf(pid).startTime;

/** The error an action is refused with, as the host would send it. */
async function refusal(action: () => unknown): Promise<{ code?: string; message: string; confirm?: string } | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    const e = error as { code?: string; message: string; confirm?: string };
    return { code: e.code, message: e.message, ...(e.confirm !== undefined && { confirm: e.confirm }) };
  }
}

/** The test runner's own ancestors, parent first, up to pid 1. */
function ancestors(): number[] {
  const chain: number[] = [];
  for (let pid = process.ppid; pid > 0 && !chain.includes(pid); pid = statOf(pid).ppid) chain.push(pid);
  return chain;
}

/** A child of kthreadd that is a kernel thread (PF_KTHREAD), if this machine shows any. */
function kernelThread(): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[1] === '2' && (Number(fields[6]) & 0x00200000) !== 0) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
/**
 * A process that is not the test's (and so not the engine's) descendant: a shell starts it in
 * the background and exits, so it is reparented. `ownSession` keeps it in this session, as a
 * command the operator started from the same terminal would be.
 */
async function startOrphan(command: string, comm: string, ownSession = false): Promise<number> {
  const shell = ownSession ? spawn('sh', ['-c', `${command} >/dev/null 2>&1 & echo $!`], { stdio: ['ignore', 'pipe', 'ignore'] }) : startOutside('sh', ['-c', `${command} >/dev/null 2>&1 & echo $!`], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  shell.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await exited(shell);
  const pid = Number(out.trim());
  orphans.push(pid);
  // `$!` is the forked child: until it has exec'd, it is still a copy of sh.
  await waitFor(() => stateOf(pid) !== undefined && statOf(pid).ppid !== shell.pid && statOf(pid).comm === comm, `the orphan ${comm} to be exec'd and reparented`);
  return pid;
}
const orphans: number[] = [];
afterEach(() => {
  for (const pid of orphans.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});
const gone = (pid: number) => waitFor(() => stateOf(pid) === undefined || stateOf(pid) === 'Z', `pid ${pid} to end`);

const kthread = kernelThread();
if (kthread === undefined) console.warn('processActionGuard.test: no kernel thread is visible in /proc here (a PID namespace hides them): the kernel-thread case is skipped');

describe('process action requests', () => {
  it('require the start time of the process they act on', () => {
    for (const [schema, extra] of [
      [processSignalRequestSchema, { signal: 'SIGTERM' }],
      [processReniceRequestSchema, { nice: 5 }],
      [processAffinityRequestSchema, { cores: [0] }],
    ] as const) {
      const parsed = schema.safeParse({ pid: 1234, ...extra });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['startTime']);
    }
  });

  it("refuse Procdeck's engine itself, and its threads, for every action", async () => {
    const self = { pid: process.pid, startTime: startTimeOf(process.pid) };
    expect(await refusal(() => signalOnRequest({ ...self, signal: 'SIGCONT' }))).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('is Procdeck itself') });
    expect(await refusal(() => reniceOnRequest({ ...self, nice: getPriority(), allThreads: true }))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await refusal(() => setAffinityOnRequest({ ...self, cores: allCores }))).toMatchObject({ code: 'INVALID_REQUEST' });
    const thread = readdirSync('/proc/self/task').map(Number).find((tid) => tid !== process.pid)!;
    expect(await refusal(() => signalOnRequest({ pid: thread, startTime: startTimeOf(thread), signal: 'SIGCONT' }))).toMatchObject({
      code: 'INVALID_REQUEST',
      message: `pid ${thread} is a thread of Procdeck itself (pid ${process.pid}); stop or tune it from its own window, not as a process`,
    });
  });

  it("refuse a signal that stops or ends the engine's ancestors or pid 1, and let harmless ones and renice through", async () => {
    const chain = ancestors();
    expect(chain.at(-1)).toBe(1);
    try {
      for (const [index, pid] of chain.entries()) {
        const refused = await refusal(() => signalOnRequest({ pid, startTime: startTimeOf(pid), signal: 'SIGSTOP', confirm: 'other-user' }));
        const expected = pid === 1 ? /^pid 1 \(.+\) is the first process of the system: SIGSTOP would stop or end it/ : index === 0 ? /\) is the parent of Procdeck's engine: SIGSTOP would stop or end Procdeck with it$/ : /\) is (the grandparent|an ancestor \(\d+ generations up\)) of Procdeck's engine: SIGSTOP would stop/;
        expect(refused, `pid ${pid}`).toMatchObject({ code: 'SYSTEM_REFUSED', message: expect.stringMatching(expected) });
      }
    } finally {
      // Had a refusal failed, the runner would be stopped: wake it up again.
      for (const pid of chain) if (stateOf(pid) === 'T') process.kill(pid, 'SIGCONT');
    }
    // Without a request either (an alert rule stopping a watched process): the ancestors stay protected.
    try {
      expect(await refusal(() => signalProcess({ pid: process.ppid, startTime: startTimeOf(process.ppid) }, 'SIGSTOP'))).toMatchObject({ code: 'SYSTEM_REFUSED' });
    } finally {
      if (stateOf(process.ppid) === 'T') process.kill(process.ppid, 'SIGCONT');
    }
    // The parent started the engine, as the engine's user: no confirmation, and SIGCONT is harmless.
    const parent = { pid: process.ppid, startTime: startTimeOf(process.ppid) };
    expect(signalOnRequest({ ...parent, signal: 'SIGCONT' }).pid).toBe(process.ppid);
    const nice = getPriority(process.ppid);
    expect(reniceOnRequest({ ...parent, nice, allThreads: false })).toEqual({ pid: process.ppid, nice });
  });

  it.runIf(root)("ask a second time for another user's process, naming it, and act only with that confirmation", async () => {
    const pid = await startOrphan('setpriv --reuid=65534 --regid=65534 --clear-groups sleep 3001', 'sleep');
    await waitFor(() => /^Uid:\s+65534/m.test(readFileSync(`/proc/${pid}/status`, 'latin1')) && statOf(pid).comm === 'sleep', 'the setpriv exec into sleep as nobody');
    const target = { pid, startTime: startTimeOf(pid) };
    const question = { code: 'NEEDS_CONFIRMATION', confirm: 'other-user', message: `pid ${pid} is sleep, owned by nobody: send SIGTERM anyway?` };
    expect(await refusal(() => signalOnRequest({ ...target, signal: 'SIGTERM' }))).toEqual(question);
    expect(await refusal(() => signalOnRequest({ ...target, signal: 'SIGTERM', confirm: 'kernel-thread' }))).toEqual(question);
    expect(await refusal(() => reniceOnRequest({ ...target, nice: 5, allThreads: true }))).toMatchObject({ code: 'NEEDS_CONFIRMATION', message: `pid ${pid} is sleep, owned by nobody: renice it to 5 anyway?` });
    expect(await refusal(() => setAffinityOnRequest({ ...target, cores: [0] }))).toMatchObject({ code: 'NEEDS_CONFIRMATION', confirm: 'other-user' });
    expect(stateOf(pid)).toMatch(/^[RS]$/);

    expect(reniceOnRequest({ ...target, nice: 5, allThreads: true, confirm: 'other-user' }).nice).toBe(5);
    expect((await setAffinityOnRequest({ ...target, cores: [0], confirm: 'other-user' })).cores).toEqual([0]);
    signalOnRequest({ ...target, signal: 'SIGTERM', confirm: 'other-user' });
    await gone(pid);
  });

  it.runIf(root)("under root, count as someone else's a root process started outside Procdeck's session, but not one in it", async () => {
    const outsider = await startOrphan('sleep 3002', 'sleep'); // its own session, as a daemon would be
    const target = { pid: outsider, startTime: startTimeOf(outsider) };
    expect(await refusal(() => signalOnRequest({ ...target, signal: 'SIGTERM' }))).toEqual({
      code: 'NEEDS_CONFIRMATION',
      confirm: 'other-user',
      message: `pid ${outsider} is sleep, owned by root but not started by Procdeck or from its session: send SIGTERM anyway?`,
    });
    // In this session, like a command the operator started from the same terminal.
    const neighbour = await startOrphan('sleep 3003', 'sleep', true);
    const neighbourTarget = { pid: neighbour, startTime: startTimeOf(neighbour), signal: 'SIGTERM' as const };
    if (statOf(process.pid).sid > 0) {
      expect(signalOnRequest(neighbourTarget).pid).toBe(neighbour);
    } else {
      // The session leader is outside this pid namespace (session 0): no session can be told
      // apart, so the neighbour is someone else's too, and asked about.
      console.warn('[processActionGuard] this runner has no visible session (sid 0): checked that a same-session process is asked about instead of let through');
      expect(await refusal(() => signalOnRequest(neighbourTarget))).toMatchObject({ code: 'NEEDS_CONFIRMATION', confirm: 'other-user' });
      signalOnRequest({ ...neighbourTarget, confirm: 'other-user' });
    }
    await gone(neighbour);
  });

  it.runIf(kthread !== undefined)("ask a second time for a kernel thread, even for renice, naming it", async () => {
    const pid = kthread!;
    const target = { pid, startTime: startTimeOf(pid) };
    const nice = getPriority(pid);
    const name = statOf(pid).comm;
    expect(await refusal(() => reniceOnRequest({ ...target, nice, allThreads: true }))).toEqual({
      code: 'NEEDS_CONFIRMATION',
      confirm: 'kernel-thread',
      message: `pid ${pid} is ${name}, one of the kernel's own threads: renice it to ${nice} anyway?`,
    });
    expect(await refusal(() => reniceOnRequest({ ...target, nice, allThreads: true, confirm: 'other-user' }))).toMatchObject({ confirm: 'kernel-thread' });
    // With the confirmation it goes through; to its own value, so this shared machine is left as it was.
    expect(reniceOnRequest({ ...target, nice, allThreads: true, confirm: 'kernel-thread' })).toEqual({ pid, nice });
  });
});
