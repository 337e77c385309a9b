import { execFile } from 'node:child_process';
import type { ProcessLinks } from './processTree';

/**
 * The system's processes with their parent and group, from one `ps` run (POSIX keywords,
 * so it works on macOS and the BSDs). Undefined when ps is missing or fails.
 */
export function listProcessesWithPs(): Promise<ProcessLinks[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      'ps',
      ['-A', '-o', 'pid=,ppid=,pgid='],
      { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024, timeout: 10_000 },
      (error, stdout) => resolve(error ? undefined : parsePsLinks(stdout)),
    );
  });
}

export function parsePsLinks(stdout: string): ProcessLinks[] {
  const processes: ProcessLinks[] = [];
  for (const line of stdout.split('\n')) {
    const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && pid > 0 && Number.isInteger(ppid) && Number.isInteger(pgid)) {
      processes.push({ pid, ppid, pgid });
    }
  }
  return processes;
}
