import { existsSync, readFileSync } from 'node:fs';
import { EngineError } from '../engineError';
import { parseCoreList } from './coreList';

const TASKSET_PATHS = ['/usr/bin/taskset', '/bin/taskset', '/usr/local/bin/taskset'];

export function tasksetPath(): string {
  const found = TASKSET_PATHS.find((p) => existsSync(p));
  if (!found) {
    throw new EngineError('UNSUPPORTED', 'CPU affinity needs taskset (util-linux), which is not installed on this machine', 'affinity');
  }
  return found;
}

/** Cores a process may run on, from /proc/PID/status. */
export function readAffinity(pid: number): number[] | undefined {
  try {
    const match = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? parseCoreList(match[1]!) : undefined;
  } catch {
    return undefined;
  }
}

/** Nice value (field 19 of /proc/PID/stat). */
export function readNice(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const value = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
