import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { constants } from 'node:os';
import { isDeadProcess, isExitUnderWay, parseProcStat } from '../monitor/procStat';

export type SignalName = keyof typeof constants.signals;

/** Sends a signal to every process of a group. Returns false when the group is already empty. */
export function signalGroup(pgid: number, signal: SignalName | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

export function groupHasMembers(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/** Process start time in clock ticks since boot (field 22 of /proc/PID/stat); undefined off Linux or if gone. */
export function readStartTime(pid: number): number | undefined {
  return readStatFields(pid).startTime;
}

/** What a spawn reads of its new process's /proc/PID/stat: its start time (crash recovery's identity) and nice. */
export interface StatFields {
  startTime?: number;
  nice?: number;
}

// /proc/PID/stat is one line of at most ~700 bytes (comm is at most 64): one buffer for every read.
const statBuffer = Buffer.allocUnsafe(4096);

/**
 * Fields 19 (nice) and 22 (start time) of /proc/PID/stat, from one open-read-close into a
 * kept buffer: readFileSync's fstat, allocation and second read cost more than the read
 * itself, and a start reads its new process's stat for both (the registry, the run's nice).
 */
export function readStatFields(pid: number): StatFields {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const stat = statBuffer.toString('latin1', 0, readSync(fd, statBuffer, 0, statBuffer.length, 0));
    // comm (field 2) may contain spaces and ')': the fields after it start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [nice, startTime] = [Number(rest[16]), Number(rest[19])];
    return { ...(Number.isFinite(startTime) && { startTime }), ...(Number.isFinite(nice) && { nice }) };
  } catch {
    return {};
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Present in /proc and not dead (isDeadProcess: a zombie with no thread left, only not yet reaped by its parent). */
export function isLiveProcess(pid: number): boolean {
  try {
    const entry = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), 1);
    return entry !== undefined && !isDeadProcess(entry);
  } catch {
    return false;
  }
}

/** The process is inside the kernel's exit (isExitUnderWay); false when it is gone or cannot be read. */
export function isExitingProcess(pid: number): boolean {
  try {
    return isExitUnderWay(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}

export function signalNameOf(signal: string | number | undefined | null): string | undefined {
  if (signal === undefined || signal === null) return undefined;
  if (typeof signal === 'string') return signal;
  const entry = Object.entries(constants.signals).find(([, n]) => n === signal);
  return entry?.[0];
}
