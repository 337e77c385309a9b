import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { exited, recordOutput, statFields, type Started } from './processes';

const started = new Set<ChildProcess>();

/** Starts a process the way anything outside Procdeck would (own group, optionally another user). */
export function startOutside(file: string, args: string[], options: SpawnOptions = {}): Started {
  const child = spawn(file, args, { detached: true, stdio: 'ignore', ...options });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  started.add(child);
  recordOutput(child);
  return child as Started;
}

/**
 * A number for a `sleep` argument that a process-list filter can match on and no other process
 * names. A bare number such as 3006 also matches the process whose pid it is (the filter takes a
 * pid), and with pid_max at 32768 here a full suite's forks come round to every pid below it.
 */
export function sleepToken(seconds: number): string {
  return `${seconds}.${String(Math.random()).slice(2, 10)}`;
}

/** SIGKILLs every group started here and waits for the leaders to be reaped. */
export async function killOutside(): Promise<void> {
  const children = [...started];
  started.clear();
  for (const child of children) {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await Promise.all(children.map(exited));
}

/** Fields after the comm of /proc/<pid>/task/<tid>/stat, for every thread (index 0 = state, 16 = nice). */
export function threadStats(pid: number): string[][] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  });
}

export function threadAffinities(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'latin1'))![1]!);
}

export function stateOf(pid: number): string | undefined {
  return statFields(pid)?.[0];
}
