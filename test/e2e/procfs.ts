import { readFileSync, readdirSync } from 'node:fs';
import { isDeadProcess, parseProcStat, type ProcEntry } from '../../electron/engine/monitor/procStat';

/** Live processes (not dead zombies: isDeadProcess) of /proc for which `wanted` holds. */
function liveProcesses(wanted: (entry: ProcEntry) => boolean): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const entry = parseProcStat(readFileSync(`/proc/${name}/stat`, 'latin1'), 1);
      if (entry && !isDeadProcess(entry) && wanted(entry)) found.push(entry.pid);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Live members of a process group. */
export function groupMembers(pgid: number): number[] {
  return liveProcesses((entry) => entry.pgid === pgid);
}

/** Live children of a process. */
export function childrenOf(pid: number): number[] {
  return liveProcesses((entry) => entry.ppid === pid);
}

/** The cores a process may run on, as the kernel lists them ("0-1", "1"); undefined once it has exited. */
export function cpusAllowedList(pid: number): string | undefined {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
  } catch {
    return undefined;
  }
}

/** A process's nice value (field 19 of /proc/PID/stat); undefined once it has exited. */
export function niceOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return undefined;
  }
}
