import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { promisify } from 'node:util';
import { EngineError } from '../engineError';
import { formatCoreList, parseCoreList } from './coreList';

const run = promisify(execFile);
const TASKSET_PATHS = ['/usr/bin/taskset', '/bin/taskset', '/usr/local/bin/taskset'];

export function tasksetPath(): string {
  const found = TASKSET_PATHS.find((p) => existsSync(p));
  if (!found) {
    throw new EngineError('UNSUPPORTED', 'CPU affinity needs taskset (util-linux), which is not installed on this machine', 'affinity');
  }
  return found;
}

/** Pins every thread of each process (taskset -a -p); processes that exited meanwhile are skipped. */
export async function setAffinity(pids: readonly number[], cores: readonly number[]): Promise<void> {
  const taskset = tasksetPath();
  const list = formatCoreList(cores);
  await Promise.all(
    pids.map(async (pid) => {
      try {
        await run(taskset, ['-a', '-p', '-c', list, String(pid)]);
      } catch (error) {
        if (existsSync(`/proc/${pid}`)) {
          const stderr = (error as { stderr?: string }).stderr?.trim();
          throw new EngineError('SYSTEM_REFUSED', `could not set the affinity of pid ${pid}: ${stderr || (error as Error).message}`);
        }
      }
    }),
  );
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

/**
 * Linux keeps a nice value per thread and setpriority(PRIO_PROCESS, pid) changes only the
 * thread whose tid equals pid, so every task of every process is reniced.
 */
export function renice(pids: readonly number[], nice: number): void {
  for (const pid of pids) {
    let tids: number[];
    try {
      tids = readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      continue; // exited meanwhile
    }
    for (const tid of tids) {
      try {
        setPriority(tid, nice);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ESRCH') continue;
        throw new EngineError('SYSTEM_REFUSED', `could not renice pid ${pid} to ${nice}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied (lowering nice needs root)' : (error as Error).message}`);
      }
    }
  }
}
