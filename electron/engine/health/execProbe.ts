import { describeCommand, type JobCommand } from '../../../shared/jobSpec';
import { defaultWorkingDirectory, resolveProgram, SHELL } from '../supervisor/launchPlan';
import { signalGroup } from '../supervisor/processGroup';
import { spawnProcess, type SpawnedProcess } from '../supervisor/spawnProcess';
import { abortMessage, excerpt, type ProbeAttempt, type ProbeRunner } from './probeAttempt';
import type { ExecCheck } from './probeSpec';

/**
 * Starts a probe command as the job would run it (its environment, working directory and
 * isolation: the engine passes one built from the job's spec). The process must lead its own
 * process group, as spawnProcess makes it: a probe that hangs is killed with its whole group.
 */
export type ProbeSpawner = (command: JobCommand) => SpawnedProcess;

/** How much of a probe's output is kept for its message: the reason a check failed is in its first lines. */
const OUTPUT_KEPT_BYTES = 4 * 1024;

/** For tests and tools: the engine's own environment, the home directory, no isolation. */
export const defaultProbeSpawner: ProbeSpawner = (command) => {
  const cwd = defaultWorkingDirectory();
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  try {
    const plan =
      command.kind === 'shell'
        ? { file: SHELL, args: ['-c', command.script], cwd, env }
        : { file: resolveProgram(command.program, cwd, env.PATH), args: command.args, cwd, env };
    return spawnProcess(plan, 'closed');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { pid: undefined, stdout: null, stderr: null, stdin: null, exited: Promise.resolve({ kind: 'spawn-error', message }), outputClosed: Promise.resolve(), closeOutput: () => undefined };
  }
};

/** Runs the command: success is exit 0 before the timeout. */
export function createExecProbe(check: ExecCheck, spawn: ProbeSpawner = defaultProbeSpawner): ProbeRunner {
  return {
    description: `exec ${describeCommand(check.command)}`,
    attempt: (signal) => runOnce(check.command, spawn, signal),
    dispose: () => undefined,
  };
}

async function runOnce(command: JobCommand, spawn: ProbeSpawner, signal: AbortSignal): Promise<ProbeAttempt> {
  if (signal.aborted) return { ok: false, message: abortMessage(signal) };
  let child: SpawnedProcess;
  try {
    child = spawn(command);
  } catch (error) {
    return { ok: false, message: `could not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  const output: Buffer[] = [];
  let kept = 0;
  const keep = (chunk: Buffer) => {
    // Read everything (a full pipe would block the probe), keep only the start.
    if (kept >= OUTPUT_KEPT_BYTES) return;
    output.push(chunk.subarray(0, OUTPUT_KEPT_BYTES - kept));
    kept += Math.min(chunk.length, OUTPUT_KEPT_BYTES - kept);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let timedOut: string | undefined;
  const onAbort = () => {
    timedOut = abortMessage(signal);
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const end = await child.exited;
  signal.removeEventListener('abort', onAbort);
  // Whatever the command left running in its group (`server &`) goes with it: a probe runs every
  // interval, and each leftover would add one more process. The group still has members when
  // this finds any, so its id cannot have been reused.
  if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  child.closeOutput();
  const said = excerpt(Buffer.concat(output).toString('utf8'));
  const withOutput = (text: string) => (said ? `${text}: ${said}` : text);
  if (timedOut !== undefined) return { ok: false, message: `${timedOut} (killed)` };
  switch (end.kind) {
    case 'exit':
      return end.exitCode === 0 ? { ok: true, message: 'exited 0' } : { ok: false, message: withOutput(`exited ${end.exitCode}`) };
    case 'signal':
      return { ok: false, message: withOutput(`killed by ${end.signal}`) };
    case 'spawn-error':
      return { ok: false, message: `could not start: ${end.message}` };
  }
}
