import { readdirSync, readFileSync } from 'node:fs';
import { isDeadProcess, parseProcStat } from '../../electron/engine/monitor/procStat';

let counter = 0;

/**
 * A token no other process on the machine has in its command line: the escape tests find
 * their processes by it, independently of the tracking under test. It is a valid sleep
 * duration ("1000.000123" seconds) and a harmless shell comment.
 */
export function uniqueToken(): string {
  counter++;
  return `${1000 + process.pid}.${String(counter).padStart(3, '0')}${String(Date.now() % 100_000).padStart(5, '0')}`;
}

/** Live processes (not dead zombies: isDeadProcess) whose command line contains `token`. */
export function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1');
      if (!cmdline.includes(token)) continue;
      const entry = parseProcStat(readFileSync(`/proc/${name}/stat`, 'latin1'), 1);
      if (entry && !isDeadProcess(entry)) found.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Live processes whose command line is exactly `sleep <token>` (the escapee itself, not a shell or engine naming it). */
export function sleepersWith(token: string): number[] {
  return processesWith(token).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1') === `sleep\0${token}\0`;
    } catch {
      return false;
    }
  });
}

/** A process whose first thread has ended while others run: /proc shows it as a zombie (Z) with more than one thread. */
export function isThreadedZombie(pid: number): boolean {
  try {
    const entry = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), 1);
    return entry?.state === 'Z' && entry.threads > 1;
  } catch {
    return false;
  }
}

/** The process group and session of a pid (fields 5 and 6 of /proc/PID/stat). */
export function groupAndSession(pid: number): { pgid: number; sid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgid: Number(fields[2]), sid: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in clock ticks (fields 14 and 15), undefined once gone. */
export function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** SIGKILLs what a failed test left behind, so it cannot disturb the next one. */
export function killAllWith(token: string): void {
  for (const pid of processesWith(token)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/**
 * The three everyday ways out of a process group (issue 10 §2), each with the main process
 * kept alive so that Stop and Kill act on a running job. `token` makes every escapee findable.
 * stdio "closed" redirects the escapee's output, so only the tracking (not a held pipe) can
 * tell the job is not over.
 */
export function escapeScripts(token: string, stdio: 'open' | 'closed'): { name: string; script: string }[] {
  const redirect = stdio === 'closed' ? ' >/dev/null 2>&1' : '';
  return [
    { name: 'setsid sleep &', script: `setsid sleep ${token}${redirect} & wait` },
    { name: 'timeout 120 sh -c busy loop', script: `timeout 120 sh -c 'while :; do :; done # ${token}'${redirect} & wait` },
    { name: 'double fork', script: `(sleep ${token}${redirect} &); exec sleep ${token}1` },
  ];
}
