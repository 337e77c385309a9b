import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLiveProcess } from '../supervisor/processGroup';

/**
 * How a cgroup's processes are all killed, best first:
 * - 'cgroup.kill' (v2, Linux 5.14+): one write; the kernel kills every member and any child a
 *   member is forking at that moment.
 * - 'v2-freeze' (v2 without cgroup.kill): freeze, SIGKILL each member, thaw. A frozen member
 *   cannot fork, and v2 lets a fatal signal through to a frozen task.
 * - 'v1-freezer': FROZEN, SIGKILL each member, THAWED. On v1 a frozen task keeps the SIGKILL
 *   pending and dies as soon as it is thawed, before it can run (and fork) again.
 * - 'loop' (v1 pids or named hierarchy): SIGKILL every member, read the list again, until it
 *   is empty. A member forking while the list is read can add a child the round misses; the
 *   next round gets it, and every round kills all it sees, so this only ends slower.
 */
export type CgroupKillMethod = 'cgroup.kill' | 'v2-freeze' | 'v1-freezer' | 'loop';

/** Pids in cgroup.procs text (one per line), without intermediate strings: read for every job at every tick. */
export function parsePids(text: string): number[] {
  const pids: number[] = [];
  let value = 0;
  let digits = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits = true;
    } else if (digits) {
      pids.push(value);
      value = 0;
      digits = false;
    }
  }
  if (digits) pids.push(value);
  return pids;
}

/**
 * The processes in a cgroup; [] once it is removed. Any other failure (EMFILE…) is thrown:
 * an unreadable list must not pass for an empty one, or a run would end with processes alive.
 */
export function readMembers(dir: string): number[] {
  try {
    return parsePids(readFileSync(join(dir, 'cgroup.procs'), 'latin1'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** readMembers for the kill, which goes on whatever it cannot read. */
function membersOrNone(dir: string): number[] {
  try {
    return readMembers(dir);
  } catch {
    return [];
  }
}

function killPid(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false; // exited meanwhile
  }
}

const PAUSE_MS = 5;
const LOOP_ROUNDS = 200;
const FREEZE_WAIT_MS = 500;

/** The kill as steps: each yield asks for a pause of PAUSE_MS, so one body serves the async engine and the synchronous start-up. */
function* killSteps(dir: string, method: CgroupKillMethod): Generator<number, number[]> {
  const seen = new Set(membersOrNone(dir));
  if (seen.size === 0) return [];
  if (method === 'cgroup.kill') {
    try {
      writeFileSync(join(dir, 'cgroup.kill'), '1');
      return [...seen];
    } catch {
      // removed meanwhile, or refused: the loop below
    }
  }
  const freezeFile = method === 'v2-freeze' ? 'cgroup.freeze' : method === 'v1-freezer' ? 'freezer.state' : undefined;
  if (freezeFile) {
    const version = method === 'v2-freeze' ? 2 : 1;
    try {
      writeFileSync(join(dir, freezeFile), version === 2 ? '1' : 'FROZEN');
      // Freezing is asynchronous: a task in a system call is frozen once it returns. Past the
      // deadline the kill goes ahead anyway (the loop below still gets every member).
      const deadline = Date.now() + FREEZE_WAIT_MS;
      while (!isFrozen(dir, version) && Date.now() < deadline) yield PAUSE_MS;
      for (const pid of membersOrNone(dir)) if (killPid(pid)) seen.add(pid);
    } catch {
      // cannot freeze: the loop alone
    } finally {
      try {
        writeFileSync(join(dir, freezeFile), version === 2 ? '0' : 'THAWED');
      } catch {
        // removed
      }
    }
  }
  // Also after a freeze: one that timed out may have let a member fork. Zombies are skipped:
  // they are dead, only not yet reaped, and would keep the loop going.
  for (let round = 0; round < LOOP_ROUNDS; round++) {
    const members = membersOrNone(dir).filter(isLiveProcess);
    if (members.length === 0) break;
    for (const pid of members) if (killPid(pid)) seen.add(pid);
    yield PAUSE_MS;
  }
  return [...seen];
}

function isFrozen(dir: string, version: 1 | 2): boolean {
  try {
    const text = readFileSync(join(dir, version === 2 ? 'cgroup.events' : 'freezer.state'), 'latin1');
    return version === 2 ? /^frozen 1$/m.test(text) : text.trim() === 'FROZEN';
  } catch {
    return true; // gone: nothing to wait for
  }
}

/** SIGKILLs every process in the cgroup at `dir`; resolves with the pids it saw there. */
export async function killCgroup(dir: string, method: CgroupKillMethod): Promise<number[]> {
  const steps = killSteps(dir, method);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await new Promise((resolve) => setTimeout(resolve, step.value));
  }
}

/** killCgroup for engine start-up, before anything runs: the pauses block. */
export function killCgroupSync(dir: string, method: CgroupKillMethod): number[] {
  const steps = killSteps(dir, method);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    Atomics.wait(pause, 0, 0, step.value);
  }
}

/**
 * Sends signals, in order, to each process in the cgroup (TERM then CONT, STOP…); not atomic,
 * which is fine for anything but the final kill. `members` is the list when the caller has
 * read it already (through a kept-open cgroup.procs); otherwise it is read here. `reached`
 * already got the signals (through its process group) and is skipped.
 */
export function signalCgroup(dir: string, signals: readonly NodeJS.Signals[], members: readonly number[] = membersOrNone(dir), reached?: number): void {
  for (const pid of members) {
    if (pid === reached) continue;
    for (const signal of signals) {
      try {
        process.kill(pid, signal);
      } catch {
        break; // gone
      }
    }
  }
}
