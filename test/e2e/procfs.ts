import { readFileSync, readdirSync } from 'node:fs';
import { isDeadProcess, parseProcStat } from '../../electron/engine/monitor/procStat';

/** Live members (not dead zombies: isDeadProcess) of a process group, read from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const entry = parseProcStat(readFileSync(`/proc/${name}/stat`, 'latin1'), 1);
      if (entry?.pgid === pgid && !isDeadProcess(entry)) members.push(entry.pid);
    } catch {
      // exited while we looked
    }
  }
  return members;
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
