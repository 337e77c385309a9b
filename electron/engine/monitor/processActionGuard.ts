import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ProcessConfirmation } from '../../../shared/monitoring';
import type { SignalName } from '../../../shared/signals';
import { EngineError } from '../engineError';
import { UserNames } from './userNames';

/** What an action is, for the guard: which signal, or a change of nice or cores; `verb` words the question. */
export type GuardedAction = { kind: 'signal'; signal: SignalName; verb: string } | { kind: 'renice' | 'affinity'; verb: string };

/** Signals whose default action neither ends nor stops a process: the only ones Procdeck's own ancestors and pid 1 may get. */
const HARMLESS_SIGNALS: ReadonlySet<SignalName> = new Set(['SIGCONT', 'SIGWINCH']);

/** PF_KTHREAD in /proc/PID/stat's flags (include/linux/sched.h): the task is one of the kernel's own threads. */
const PF_KTHREAD = 0x00200000;
/** /proc/PID/loginuid when no login set it (audit's AUDIT_UID_UNSET). */
const LOGINUID_UNSET = 4294967295;

const users = new UserNames();

interface ProcessFacts {
  pid: number;
  /** The thread group: the process a thread id belongs to. */
  tgid: number;
  ppid: number;
  sid: number;
  /** Real, effective, saved and filesystem uids. */
  uids: number[];
  kernelThread: boolean;
  loginuid?: number;
  /** What the process is called: its program's file name, or the kernel thread's name. */
  name: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function factsOf(pid: number): ProcessFacts | undefined {
  const stat = read(`/proc/${pid}/stat`);
  const status = read(`/proc/${pid}/status`);
  if (stat === undefined || status === undefined) return undefined;
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  // Fields after the comm: state ppid pgrp session tty_nr tpgid flags…
  const fields = stat.slice(close + 2).split(' ');
  const line = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
  const loginuid = Number(read(`/proc/${pid}/loginuid`));
  const kernelThread = (Number(fields[6]) & PF_KTHREAD) !== 0;
  const argv0 = read(`/proc/${pid}/cmdline`)?.split('\0')[0];
  return {
    pid,
    tgid: Number(line('Tgid')),
    ppid: Number(fields[1]),
    sid: Number(fields[3]),
    uids: line('Uid').split(/\s+/).filter(Boolean).map(Number),
    kernelThread,
    ...(Number.isInteger(loginuid) && loginuid !== LOGINUID_UNSET && { loginuid }),
    name: !kernelThread && argv0 ? basename(argv0) : comm,
  };
}

/** The engine's parent, grandparent… up to pid 1, as they are now (a parent that exits makes the subreaper or init the new one). */
function engineAncestors(): Map<number, number> {
  const ancestors = new Map<number, number>();
  let pid = process.ppid;
  for (let generation = 1; pid > 0 && !ancestors.has(pid) && generation < 4096; generation++) {
    ancestors.set(pid, generation);
    pid = factsOf(pid)?.ppid ?? 0;
  }
  return ancestors;
}

function descendsFromEngine(facts: ProcessFacts): boolean {
  const seen = new Set<number>();
  for (let pid = facts.ppid; pid > 1 && !seen.has(pid); pid = factsOf(pid)?.ppid ?? 0) {
    if (pid === process.pid) return true;
    seen.add(pid);
  }
  return false;
}

const relation = (generation: number) => (generation === 1 ? 'the parent of' : generation === 2 ? 'the grandparent of' : `an ancestor (${generation} generations up) of`);

/**
 * Refuses what would stop or end Procdeck from under itself, whoever asks: any action on the
 * engine itself (or one of its threads), and a signal that stops or ends a process sent to
 * one of its ancestors (SIGTERM to the shell or service manager that runs it took the server
 * down) or to pid 1.
 */
export function refuseProtected(pid: number, action: GuardedAction): void {
  const facts = factsOf(pid);
  if (!facts) return; // gone: the action itself reports it
  if (facts.tgid === process.pid) {
    const what = pid === process.pid ? 'Procdeck itself' : `a thread of Procdeck itself (pid ${process.pid})`;
    throw new EngineError('INVALID_REQUEST', `pid ${pid} is ${what}; stop or tune it from its own window, not as a process`, 'pid');
  }
  if (facts.tgid !== pid) {
    throw new EngineError('INVALID_REQUEST', `pid ${pid} is a thread of process ${facts.tgid} (${facts.name}), not a process: act on pid ${facts.tgid}`, 'pid');
  }
  if (action.kind !== 'signal' || HARMLESS_SIGNALS.has(action.signal)) return;
  if (pid === 1) {
    throw new EngineError('SYSTEM_REFUSED', `pid 1 (${facts.name}) is the first process of the system: ${action.signal} would stop or end it, and everything with it`, 'pid');
  }
  const generation = engineAncestors().get(pid);
  if (generation !== undefined) {
    throw new EngineError(
      'SYSTEM_REFUSED',
      `pid ${pid} (${facts.name}) is ${relation(generation)} Procdeck's engine: ${action.signal} would stop or end Procdeck with it`,
      'pid',
    );
  }
}

function engineFacts(): { uid: number; sid?: number; loginuid?: number } {
  const self = factsOf(process.pid);
  return {
    uid: process.geteuid?.() ?? self?.uids[1] ?? -1,
    ...(self && self.sid > 0 && { sid: self.sid }),
    ...(self?.loginuid !== undefined && { loginuid: self.loginuid }),
  };
}

/**
 * Whether the process belongs to the operator running Procdeck. For an unprivileged engine:
 * every uid of the process is the engine's. For an engine running as root, every daemon
 * shares that uid, so "the operator's own" narrows to what Procdeck started (its
 * descendants), what started Procdeck (its ancestors: the shell, npm, the service manager),
 * what runs in its session (the terminal it was started from), and what the same login
 * started (audit loginuid, when one is set); every other process, root's daemons included,
 * is someone else's. A session whose leader is outside this pid namespace reads as session 0
 * (containers, some CI runners): it names no session, so it matches nothing.
 */
function operatorsOwn(facts: ProcessFacts): boolean {
  const engine = engineFacts();
  if (facts.uids.some((uid) => uid !== engine.uid)) return false;
  if (engine.uid !== 0) return true;
  return (
    (engine.sid !== undefined && facts.sid === engine.sid) ||
    (engine.loginuid !== undefined && facts.loginuid === engine.loginuid) ||
    descendsFromEngine(facts) ||
    engineAncestors().has(facts.tgid)
  );
}

/**
 * The second confirmation an action needs, with the question that asks for it, or undefined.
 * Kernel threads come first: the kernel's own threads (kthreadd and its children) are root's too.
 */
export function confirmationNeeded(pid: number, action: GuardedAction): { confirm: ProcessConfirmation; question: string } | undefined {
  const facts = factsOf(pid);
  if (!facts) return undefined;
  if (facts.kernelThread) {
    return { confirm: 'kernel-thread', question: `pid ${pid} is ${facts.name}, one of the kernel's own threads: ${action.verb} anyway?` };
  }
  if (operatorsOwn(facts)) return undefined;
  const owner = users.name(facts.uids[0] ?? -1);
  const engineUid = engineFacts().uid;
  const whose = facts.uids.every((uid) => uid === engineUid) ? `owned by ${owner} but not started by Procdeck or from its session` : `owned by ${owner}`;
  return { confirm: 'other-user', question: `pid ${pid} is ${facts.name}, ${whose}: ${action.verb} anyway?` };
}

/** Refuses an operator's action on someone else's process or a kernel thread unless the request carries the confirmation it needs. */
export function requireConfirmation(pid: number, confirm: ProcessConfirmation | undefined, action: GuardedAction): void {
  const needed = confirmationNeeded(pid, action);
  if (needed && needed.confirm !== confirm) throw new EngineError('NEEDS_CONFIRMATION', needed.question, 'confirm', needed.confirm);
}
