import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { waitFor } from '../../support/wait';

export type Started = ChildProcess & { pid: number };

const started = new Set<ChildProcess>();
/** Everything each piped child wrote to stdout so far: recorded from the spawn on, so no output is missed. */
const outputs = new WeakMap<ChildProcess, { text: string }>();

/** Records the child's stdout (when piped) for waitForOutput; start helpers call it right after spawning. */
export function recordOutput(child: ChildProcess): void {
  if (!child.stdout || outputs.has(child)) return;
  const output = { text: '' };
  outputs.set(child, output);
  child.stdout.on('data', (chunk: Buffer) => {
    output.text += chunk.toString();
  });
}

export interface StartOptions {
  stdin?: 'ignore' | 'pipe';
  stdout?: 'ignore' | 'pipe';
}

/** Starts a command as the leader of its own process group; killGroups() ends the whole group. */
export function startGroup(file: string, args: string[], options: StartOptions = {}): Started {
  const stdio: StdioOptions = [options.stdin ?? 'ignore', options.stdout ?? 'ignore', 'ignore'];
  const child = spawn(file, args, { detached: true, stdio });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  started.add(child);
  recordOutput(child);
  return child as Started;
}

export function startShell(script: string, options: StartOptions = {}): Started {
  return startGroup('sh', ['-c', script], options);
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

/** Resolves once the child has printed `text` on its (piped) stdout; fails at once if it exits without. */
export async function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  const output = outputs.get(child);
  if (!output) throw new Error(`stdout of ${child.pid} is not recorded: start it with stdout 'pipe'`);
  await waitFor(
    () => {
      if (output.text.includes(text)) return true;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.spawnargs.join(' ')} ended without printing "${text}"`);
      return false;
    },
    () => `"${text}" from ${child.pid} (has printed ${JSON.stringify(output.text.slice(-200))})`,
  );
}

/** Fields after the comm of /proc/<pid>/stat (index 0 = state, 1 = ppid, 2 = pgid…); undefined once it is gone. */
export function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The command line as the kernel has it (arguments joined by spaces); undefined once the process is gone. */
export function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0$/, '').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** Live children of `pid` (zombies left out), from one pass over /proc. */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields && Number(fields[1]) === pid && fields[0] !== 'Z') children.push(Number(name));
  }
  return children.sort((a, b) => a - b);
}

/**
 * Waits until `pid` has `count` children whose command lines match, and returns them. A
 * forked child shows its parent's command line until it execs, so this is also the wait for the exec.
 */
export function waitForChildren(pid: number, count: number, cmdline: RegExp): Promise<number[]> {
  return waitFor(
    () => {
      const matching = childrenOf(pid).filter((child) => cmdline.test(cmdlineOf(child) ?? ''));
      return matching.length === count && matching;
    },
    () => `${count} children of ${pid} running ${cmdline} (has ${childrenOf(pid).map(cmdlineOf).join(', ') || 'none'})`,
  );
}

/** Waits until every pid sleeps (state S): past its start-up, blocked where the test wants it. */
export async function waitUntilSleeping(pids: readonly number[]): Promise<void> {
  await waitFor(
    () => pids.every((pid) => statFields(pid)?.[0] === 'S'),
    () => `${pids.join(', ')} to sleep (states ${pids.map((pid) => statFields(pid)?.[0] ?? 'gone').join(', ')})`,
  );
}

/** Waits until the pid is gone from /proc (exited and reaped, not even a zombie). */
export async function waitUntilReaped(pid: number): Promise<void> {
  await waitFor(() => !existsSync(`/proc/${pid}`), `${pid} to be reaped`);
}
