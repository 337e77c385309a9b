import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const started = new Set<ChildProcess>();

/** Starts a command as the leader of its own process group; killGroups() ends the whole group. */
export function startGroup(file: string, args: string[], stdout: 'ignore' | 'pipe' = 'ignore'): ChildProcess & { pid: number } {
  const child = spawn(file, args, { detached: true, stdio: ['ignore', stdout, 'ignore'] });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  started.add(child);
  return child as ChildProcess & { pid: number };
}

export function startShell(script: string): ChildProcess & { pid: number } {
  return startGroup('sh', ['-c', script]);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGKILLs every group started here and waits for the leaders to be reaped. */
export async function killGroups(): Promise<void> {
  const children = [...started];
  started.clear();
  for (const child of children) {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Group already gone.
    }
  }
  await Promise.all(children.map(exited));
}

export { exited };

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" from ${child.pid}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** CPU time the kernel's scheduler charged to each pid's main thread, in ns (/proc/<pid>/schedstat). */
function runtimeNs(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // Gone.
    }
  }
  return total;
}

/**
 * An oracle independent of /proc/<pid>/stat: CPU % of single-threaded pids measured from the
 * scheduler's nanosecond runtimes. Call start() next to the first sample, stop() next to the second.
 */
export function schedulerCpu(pids: readonly number[]): { stop(): number } {
  const startNs = runtimeNs(pids);
  const startMs = performance.now();
  return {
    stop(): number {
      const ns = runtimeNs(pids) - startNs;
      return (ns / 1e6 / (performance.now() - startMs)) * 100;
    },
  };
}
