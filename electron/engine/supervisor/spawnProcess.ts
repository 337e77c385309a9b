import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { bornInside } from '../isolation/cgroupBirth';
import { closeFd, closePipes, type OutputPipe, type PipeSource } from './fifoPipes';
import type { LaunchPlan } from './launchPlan';

export interface SpawnedProcess {
  /** Undefined when spawning failed; `exited` then settles with the reason. */
  pid: number | undefined;
  stdout: Readable | null;
  stderr: Readable | null;
  stdin: Writable | null;
  /**
   * Settles once the main process has exited (or failed to start). Its stdout/stderr may still
   * be open: whatever it started holds them, and that is the supervisor's to deal with.
   */
  exited: Promise<ProcessEnd>;
  /** Settles once stdout and stderr have both closed (everything the pipes held has been read). */
  outputClosed: Promise<void>;
  /** Stops reading stdout/stderr and closes the engine's ends (a process nobody tracks still holds them). */
  closeOutput(): void;
}

export type ProcessEnd =
  | { kind: 'exit'; exitCode: number }
  | { kind: 'signal'; signal: string }
  | { kind: 'spawn-error'; message: string; errno?: string };

// What the kernel or libuv says when a spawn fails for lack of resources: a failed start
// with the reason, never an exception that takes the engine down.
const RESOURCE_ERRORS: Readonly<Record<string, string>> = {
  EMFILE: 'Procdeck has too many open files',
  ENFILE: 'the system has too many open files',
  EAGAIN: 'the system refused a new process (process limit reached, or resources temporarily unavailable)',
  ENOMEM: 'out of memory',
};

function spawnError(error: unknown, file: string): ProcessEnd {
  const errno = (error as NodeJS.ErrnoException).code;
  const known = errno === undefined ? undefined : RESOURCE_ERRORS[errno];
  const message = known ? `cannot start ${file}: ${known}` : error instanceof Error ? error.message : String(error);
  return errno === undefined ? { kind: 'spawn-error', message } : { kind: 'spawn-error', message, errno };
}

function closed(stream: Readable | null): Promise<void> {
  if (!stream || stream.destroyed || stream.readableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', resolve));
}

/** The engine's read end of a real pipe, read like child_process's own pipes (a net.Socket on a libuv pipe handle). */
function readEnd(pipe: OutputPipe | undefined): Readable | null {
  if (!pipe) return null;
  try {
    return new Socket({ fd: pipe.readFd, readable: true, writable: false });
  } catch {
    // libuv would not take the fd (cannot happen for a FIFO's read end): the output is not read.
    closeFd(pipe.readFd);
    return null;
  }
}

/**
 * Starts a plan as the leader of a new process group and session (detached → setsid),
 * streaming its output. Node's child_process directly: the supervisor signals the whole group
 * itself, and the engine's death must not silently kill jobs (crash recovery decides what
 * happens to them). Every failure, synchronous or as an 'error' event, ends as a spawn-error:
 * under EMFILE Node emits 'error' with no stdio streams at all, which a wrapper that expects
 * them (execa did) turns into an exception nobody catches.
 *
 * With `pipes`, stdout and stderr are real pipes from it where it has them (fifoPipes.ts),
 * else libuv's socketpair: the child gets the write end, the engine closes its copy right
 * after the spawn, so the read end ends once the child and whatever inherited it are gone.
 */
export function spawnProcess(plan: LaunchPlan, stdin: 'pipe' | 'closed', pipes?: PipeSource): SpawnedProcess {
  const out = pipes?.take();
  const err = out && pipes?.take();
  let child: ChildProcess;
  const start = () =>
    spawn(plan.file, plan.args, {
      cwd: plan.cwd,
      env: plan.env,
      detached: true,
      stdio: [stdin === 'pipe' ? 'pipe' : 'ignore', out?.writeFd ?? 'pipe', err?.writeFd ?? 'pipe'],
    });
  try {
    child = plan.bornInto ? bornInside(plan.bornInto, start, (spawned) => spawned.kill('SIGKILL')) : start();
  } catch (error) {
    closePipes(out, err);
    const failed = Promise.resolve(spawnError(error, plan.file));
    return { pid: undefined, stdout: null, stderr: null, stdin: null, exited: failed, outputClosed: Promise.resolve(), closeOutput: () => undefined };
  }
  // The engine keeps its copies of the write ends until the main process's exit has been seen
  // (or the spawn failed), then closes them, so the pipes end once whatever else holds them is
  // gone. Not at once: a job's death would then make its pipes' EOFs ready together with the
  // SIGCHLD, and libuv handles signals only after every other ready descriptor of that turn, so
  // a stop of 100 jobs would run 200 EOFs' worth of JavaScript before the first of them is
  // reaped (see README, "the reap before the EOFs"). Held, the turn after a stop reaps them all
  // first; the EOFs follow the closes below.
  const heldWriteEnds = [out?.writeFd, err?.writeFd].filter((fd): fd is number => fd !== undefined);
  const closeWriteEnds = () => {
    for (const fd of heldWriteEnds.splice(0)) closeFd(fd);
  };
  const stdout = out ? readEnd(out) : child.stdout;
  const stderr = err ? readEnd(err) : child.stderr;
  const exited = new Promise<ProcessEnd>((resolve) => {
    // 'error' after a successful spawn would be a failed kill or IPC send; neither is used.
    child.once('error', (error) => {
      closeWriteEnds();
      resolve(spawnError(error, plan.file));
    });
    child.once('exit', (code, signal) => {
      closeWriteEnds();
      resolve(signal ? { kind: 'signal', signal } : { kind: 'exit', exitCode: code ?? 0 });
    });
  });
  // A pipe can fail (EPIPE on stdin when the job exits without reading it, a reset): the run
  // goes on, and an unhandled stream 'error' would take the engine down.
  for (const stream of [child.stdin, stdout, stderr]) stream?.on('error', () => undefined);
  const outputClosed = Promise.all([closed(stdout), closed(stderr)]).then(() => undefined);
  return {
    pid: child.pid,
    stdout,
    stderr,
    stdin: child.stdin,
    exited,
    outputClosed,
    closeOutput() {
      closeWriteEnds();
      stdout?.destroy();
      stderr?.destroy();
    },
  };
}
