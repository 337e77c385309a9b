import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, setPriority } from 'node:os';
import { promisify } from 'node:util';
import type { ProcessActionResult, ProcessAffinityRequest, ProcessReniceRequest, ProcessSignalRequest, ProcessTarget } from '../../../shared/monitoring';
import { niceSchema } from '../../../shared/scheduling';
import { signalNameSchema, type SignalName } from '../../../shared/signals';
import { formatCoreList } from '../../../shared/format';
import { readAffinity, readNice, tasksetPath } from '../affinity/processControls';
import { EngineError } from '../engineError';
import { refuseProtected, requireConfirmation, type GuardedAction } from './processActionGuard';
import { parseProcStat } from './procStat';

const run = promisify(execFile);

/** errno name: os.setPriority throws ERR_SYSTEM_ERROR with the errno under info.code; process.kill sets code. */
function errnoOf(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { info?: { code?: string } };
  return e.info?.code ?? e.code ?? '';
}

/** State letter and start time of a live process, from /proc/PID/stat. */
function statOf(pid: number): { state: string; startTime: number } | undefined {
  try {
    const entry = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), 1);
    return entry && { state: entry.state, startTime: entry.startTime };
  } catch {
    return undefined;
  }
}

/**
 * Refuses a target that is gone, or whose pid now belongs to another process (the start time
 * differs): the row the operator confirmed on is not the process that would be hit.
 */
export function assertTarget(target: ProcessTarget): void {
  if (!Number.isInteger(target.pid) || target.pid <= 0) {
    throw new EngineError('INVALID_REQUEST', `pid must be a positive whole number, not ${target.pid}`, 'pid');
  }
  const stat = statOf(target.pid);
  if (!stat) throw new EngineError('NOT_FOUND', `no such process: pid ${target.pid} is not running`, 'pid');
  if (target.startTime !== undefined && stat.startTime !== target.startTime) {
    throw new EngineError('NOT_FOUND', `pid ${target.pid} has exited and now belongs to another process`, 'pid');
  }
}

function refused(pid: number, what: string, error: unknown, permissionHint: string): EngineError {
  const code = errnoOf(error);
  if (code === 'ESRCH') return new EngineError('NOT_FOUND', `no such process: pid ${pid} exited before it could ${what}`, 'pid');
  if (code === 'EPERM' || code === 'EACCES') return new EngineError('SYSTEM_REFUSED', `permission denied: cannot ${what} pid ${pid} (${permissionHint})`, 'pid');
  return new EngineError('SYSTEM_REFUSED', `could not ${what} pid ${pid}: ${(error as Error).message}`, 'pid');
}

/**
 * Sends a signal to one process (never a group: a pid ≤ 0 is refused by assertTarget). Never
 * to Procdeck itself, nor one that stops or ends its ancestors or pid 1, whoever asks (an
 * operator, or an alert rule on a watched process).
 */
export function signalProcess(target: ProcessTarget, signal: SignalName): ProcessActionResult {
  const parsed = signalNameSchema.safeParse(signal);
  if (!parsed.success) throw new EngineError('INVALID_SIGNAL', parsed.error.issues[0]?.message ?? `unknown signal ${signal}`, 'signal');
  assertTarget(target);
  refuseProtected(target.pid, { kind: 'signal', signal: parsed.data, verb: `send ${parsed.data}` });
  try {
    process.kill(target.pid, parsed.data);
  } catch (error) {
    throw refused(target.pid, `send ${parsed.data} to`, error, 'it belongs to another user');
  }
  return { pid: target.pid, state: statOf(target.pid)?.state };
}

function taskIds(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch (error) {
    throw refused(pid, 'renice', error, 'its threads are hidden');
  }
}

/**
 * setpriority(PRIO_PROCESS, pid) changes one thread on Linux (the one whose tid is pid), so by
 * default every task in /proc/PID/task is reniced. A thread started meanwhile inherits its
 * creator's old value, so the task list is read again until it holds no new thread.
 */
export function reniceProcess(target: ProcessTarget, nice: number, allThreads = true): ProcessActionResult {
  const parsed = niceSchema.safeParse(nice);
  if (!parsed.success) throw new EngineError('INVALID_REQUEST', parsed.error.issues[0]?.message ?? 'invalid nice value', 'nice');
  assertTarget(target);
  refuseProtected(target.pid, { kind: 'renice', verb: `renice it to ${parsed.data}` });
  const done = new Set<number>();
  for (let round = 0; round < 10; round++) {
    const fresh = (allThreads ? taskIds(target.pid) : [target.pid]).filter((tid) => !done.has(tid));
    if (fresh.length === 0) break;
    for (const tid of fresh) {
      done.add(tid);
      try {
        setPriority(tid, parsed.data);
      } catch (error) {
        if (errnoOf(error) === 'ESRCH' && tid !== target.pid) continue;
        throw refused(target.pid, `renice to ${parsed.data}`, error, "lowering nice, or changing another user's process, needs root");
      }
    }
  }
  return { pid: target.pid, nice: readNice(target.pid) };
}

/** Pins every thread of the process (taskset -a -p) to the given cores; reads the result back. */
export async function setProcessAffinity(target: ProcessTarget, cores: readonly number[]): Promise<ProcessActionResult> {
  const count = cpus().length;
  if (cores.length === 0) throw new EngineError('INVALID_REQUEST', 'choose at least one core', 'cores');
  const bad = cores.filter((c) => !Number.isInteger(c) || c < 0 || c >= count);
  if (bad.length > 0) {
    throw new EngineError('INVALID_REQUEST', `core ${bad.join(', ')} does not exist: this machine has cores 0–${count - 1}`, 'cores');
  }
  assertTarget(target);
  refuseProtected(target.pid, { kind: 'affinity', verb: `pin it to cores ${formatCoreList(cores)}` });
  const taskset = tasksetPath();
  try {
    await run(taskset, ['-a', '-p', '-c', formatCoreList(cores), String(target.pid)]);
  } catch (error) {
    if (!statOf(target.pid)) throw new EngineError('NOT_FOUND', `no such process: pid ${target.pid} exited before its affinity was set`, 'pid');
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    if (/not permitted|permission/i.test(stderr)) {
      throw new EngineError('SYSTEM_REFUSED', `permission denied: cannot set the affinity of pid ${target.pid} (it belongs to another user)`, 'pid');
    }
    throw new EngineError('SYSTEM_REFUSED', `could not set the affinity of pid ${target.pid}: ${stderr || (error as Error).message}`, 'cores');
  }
  return { pid: target.pid, cores: readAffinity(target.pid) };
}

/**
 * The System view's actions, on processes that need not be jobs. Each request names the
 * process by pid and start time (its schema requires both), and one on someone else's
 * process or a kernel thread goes ahead only with the second confirmation it names.
 */
function confirmed(request: ProcessSignalRequest | ProcessReniceRequest | ProcessAffinityRequest, action: GuardedAction): void {
  assertTarget(request);
  refuseProtected(request.pid, action);
  requireConfirmation(request.pid, request.confirm, action);
}

export function signalOnRequest(request: ProcessSignalRequest): ProcessActionResult {
  confirmed(request, { kind: 'signal', signal: request.signal, verb: `send ${request.signal}` });
  return signalProcess(request, request.signal);
}

export function reniceOnRequest(request: ProcessReniceRequest): ProcessActionResult {
  confirmed(request, { kind: 'renice', verb: `renice it to ${request.nice}` });
  return reniceProcess(request, request.nice, request.allThreads);
}

export async function setAffinityOnRequest(request: ProcessAffinityRequest): Promise<ProcessActionResult> {
  confirmed(request, { kind: 'affinity', verb: `pin it to cores ${formatCoreList(request.cores)}` });
  return setProcessAffinity(request, request.cores);
}
