// A sandboxed run's main process (the outer bwrap) exits as soon as the sandbox's init has
// passed on the job's exit status, and that init's own exit waits in the kernel until every
// process of its pid namespace has been reaped. Such a member is already inside its exit: the
// run waits for it instead of saying it "left 1 process running", and stops it like anything
// left running only if it is still there a grace period later.
//
// The test holds the init inside its exit for as long as it wants: a process outside the
// sandbox enters its pid namespace (setns), forks a child there that exits at once, and does
// not reap it until told to; the namespace is not empty until it does.
//
// Tracked by the marker fallback (no cgroups): it finds the init through the run's process
// group, which a process keeps to the end. A cgroup lists it only until cgroup_exit(), early in
// the kernel's exit, so there the same case is a race of a few microseconds that no test can hold
// open; the run's end handles both alike.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { capabilities, findBinary } from '../../electron/engine/isolation/capabilities';
import { isExitingProcess, isLiveProcess } from '../../electron/engine/supervisor/processGroup';
import { childrenOf, closeEngines, openEngine, tailText, waitFor, waitForState } from './helpers';

const holders: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const holder of holders.splice(0)) holder.kill('SIGKILL');
  await closeEngines();
});

const GRACE_MS = 1500;
const noCgroups = { ...capabilities(), cgroup: undefined, cgroupProblem: 'test: no cgroups', tracking: undefined, trackingProblem: 'test: no cgroups' };

// setns(2) into the init's pid namespace, then a fork: the child is born in that namespace,
// its parent out here. It exits at once and stays a zombie until this process reads a line.
const HOLD_NAMESPACE = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open('/proc/%s/ns/pid' % sys.argv[1], os.O_RDONLY)
if libc.setns(fd, 0x20000000) != 0:
    raise OSError(ctypes.get_errno(), 'setns')
child = os.fork()
if child == 0:
    os._exit(0)
print('held', flush=True)
sys.stdin.readline()
os.waitpid(child, 0)
`;

/** Holds the namespace of the sandbox's init `init` until release() is called. */
async function holdNamespaceOf(init: number): Promise<{ release: () => void }> {
  const holder = spawn('python3', ['-c', HOLD_NAMESPACE, String(init)]);
  holders.push(holder);
  let output = '';
  holder.stdout.on('data', (data: Buffer) => (output += data.toString()));
  holder.stderr.on('data', (data: Buffer) => (output += data.toString()));
  await waitFor(() => output.includes('held') || holder.exitCode !== null || undefined, 'the namespace holder to fork into the sandbox');
  expect(output, 'the namespace holder failed').toContain('held');
  return { release: () => holder.stdin.end('\n') };
}

/** Starts a sandboxed job that exits 3 once its stdin closes; answers its main process and the sandbox's init. */
async function startSandboxed(engine: Engine, graceMs: number): Promise<{ id: string; main: number; init: number }> {
  const job = engine.jobs.start({ command: { kind: 'shell', script: 'read line; exit 3' }, isolation: { level: 'maximum', overrides: {} }, graceMs });
  const running = await waitForState(engine, job.id, 'running');
  const main = running.pid!;
  // bwrap --unshare-pid: the outer bwrap's one child is the sandbox's init, whose child runs the job.
  const init = await waitFor(() => {
    const [only] = childrenOf(main);
    return only !== undefined && childrenOf(only).length > 0 ? only : undefined;
  }, "the sandbox's init and its job");
  return { id: job.id, main, init };
}

/** The main process has been reaped: the engine has handled its exit (the same turn of its event loop). */
const mainReaped = (main: number) => waitFor(() => !existsSync(`/proc/${main}`) || undefined, 'the main process to be reaped');

describe('a member already inside its exit when the main process ends', () => {
  it('is waited for, not stopped as left running', async () => {
    expect(findBinary('python3'), 'this test needs python3 (its ctypes calls setns)').toBeDefined();
    expect(capabilities().bwrap && capabilities().root, 'this test needs bwrap and root (a Maximum sandbox with its own pid namespace)').toBe(true);
    const engine = openEngine({ capabilities: noCgroups });
    // A long grace: however slow this machine is before release(), the wait must not run out.
    const { id, main, init } = await startSandboxed(engine, 600_000);
    const { release } = await holdNamespaceOf(init);
    engine.jobs.closeStdin(id);
    await mainReaped(main);
    // The init is inside its exit, held there by the zombie out here.
    expect(isExitingProcess(init)).toBe(true);
    expect(engine.jobs.get(id).state).toBe('running');
    expect(tailText(engine, id)).not.toMatch(/left \d+ process|still inside/);
    release();
    const end = await waitForState(engine, id, ['exited', 'killed']);
    expect(end).toMatchObject({ state: 'exited', exitCode: 3, tracking: { mechanism: 'marker' } });
    expect(tailText(engine, id)).not.toMatch(/left \d+ process|still inside|SIGKILL/);
    // Dead (a zombie until whoever inherited it reaps it), not left behind.
    expect(isLiveProcess(init)).toBe(false);
  });

  it('is stopped like anything left running when it is still there a grace period later', async () => {
    expect(findBinary('python3'), 'this test needs python3 (its ctypes calls setns)').toBeDefined();
    expect(capabilities().bwrap && capabilities().root, 'this test needs bwrap and root (a Maximum sandbox with its own pid namespace)').toBe(true);
    const engine = openEngine({ capabilities: noCgroups });
    const { id, main, init } = await startSandboxed(engine, GRACE_MS);
    const { release } = await holdNamespaceOf(init);
    engine.jobs.closeStdin(id);
    await mainReaped(main);
    // No signal moves a process inside its exit: the run ends after SIGKILL's settle time without it, saying so.
    const end = await waitForState(engine, id, ['exited', 'killed']);
    expect(end.exitCode).toBe(3);
    const tail = tailText(engine, id);
    expect(tail).toMatch(/the main process exited \(3\); 1 process \(pid \d+ .*\) still inside the kernel's exit 1\.5 s later; stopping them/);
    expect(tail).toContain('still there');
    expect(end.tracking?.mechanism).toBe('marker');
    expect(isExitingProcess(init)).toBe(true);
    // Once it can finish its exit, it is gone.
    release();
    await waitFor(() => !isLiveProcess(init) || undefined, 'the init to finish its exit');
  });
});
