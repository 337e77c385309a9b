import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

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
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // comm (field 2) may contain spaces and ')': the fields after it start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const value = Number(rest[19]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Present in /proc and not a zombie (a zombie is dead, only not yet reaped by its parent). */
export function isLiveProcess(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
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
