import { execa } from 'execa';
import type { Readable, Writable } from 'node:stream';
import type { LaunchPlan } from './launchPlan';

export interface SpawnedProcess {
  /** Undefined when spawning failed; `done` then settles with the reason. */
  pid: number | undefined;
  stdout: Readable;
  stderr: Readable;
  stdin: Writable | null;
  /** Settles once the process has exited and its stdout/stderr pipes have closed. */
  done: Promise<ProcessEnd>;
}

export type ProcessEnd =
  | { kind: 'exit'; exitCode: number }
  | { kind: 'signal'; signal: string }
  | { kind: 'spawn-error'; message: string; errno?: string };

/**
 * Starts a plan as the leader of a new process group (detached → setsid), streaming its
 * output. execa's own kill escalation and exit cleanup are off: the supervisor signals the
 * whole group itself, and on purpose the engine's death must not silently kill jobs (crash
 * recovery decides what happens to them).
 */
export function spawnProcess(plan: LaunchPlan, stdin: 'pipe' | 'closed'): SpawnedProcess {
  const subprocess = execa(plan.file, plan.args, {
    cwd: plan.cwd,
    env: plan.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    buffer: false,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    forceKillAfterDelay: false,
    stdin: stdin === 'pipe' ? 'pipe' : 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const done = subprocess.then((result): ProcessEnd => {
    if (result.signal) return { kind: 'signal', signal: result.signal };
    if (result.exitCode !== undefined) return { kind: 'exit', exitCode: result.exitCode };
    const errno = 'code' in result && typeof result.code === 'string' ? result.code : undefined;
    const message = 'originalMessage' in result && typeof result.originalMessage === 'string' ? result.originalMessage : String(result.message);
    return { kind: 'spawn-error', message, errno };
  });
  return {
    pid: subprocess.pid,
    stdout: subprocess.stdout,
    stderr: subprocess.stderr,
    stdin: subprocess.stdin,
    done,
  };
}
