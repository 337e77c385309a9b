import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type EngineOptions } from '../../electron/engine/engine';
import { JobStore } from '../../electron/engine/store/jobStore';
import { definitionOfSnapshot, newSavedJob, statusOfSnapshot } from '../../electron/engine/store/savedJob';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import type { JobState } from '../../shared/jobState';
import { DEFAULT_WAIT_MS, waitFor } from '../support/wait';

/** A new job given as its snapshot, encoded as JobStore.recordSubmitted takes it (admission builds it from the job itself). */
export function encodeSubmittedSnapshot(job: JobSnapshot): Buffer {
  return JobStore.encodeSubmitted([newSavedJob(definitionOfSnapshot(job), statusOfSnapshot(job))]);
}

export function tempDir(prefix = 'procdeck-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Engines opened through here are shut down and their data dirs removed by closeEngines(). */
const opened: { engine: Engine; dir: string }[] = [];

export function openEngine(options: Partial<EngineOptions> = {}): Engine {
  const dir = options.dataDir ?? tempDir();
  const engine = Engine.open({ dataDir: dir, ...options });
  opened.push({ engine, dir });
  return engine;
}

export async function closeEngines(): Promise<void> {
  const engines = opened.splice(0);
  // Every engine first, then the directories: a test that reopened a data directory has two
  // engines on it, and the one still open may be making FIFOs in it (its pool's background batch).
  // An engine SIGKILLed in a child process may have left its batch's mkfifo finishing there:
  // ENOTEMPTY is retried (rmSync's own retries) until it is done.
  for (const { engine } of engines) await engine.shutdown();
  for (const dir of new Set(engines.map((e) => e.dir))) rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
}

export { waitFor } from '../support/wait';

export function waitForState(engine: Engine, jobId: string, states: JobState | JobState[], timeoutMs = DEFAULT_WAIT_MS): Promise<JobSnapshot> {
  const wanted = Array.isArray(states) ? states : [states];
  return waitFor(
    () => {
      const job = engine.jobs.get(jobId);
      return wanted.includes(job.state) ? job : undefined;
    },
    () => `job ${jobId} to reach ${wanted.join('/')} (is ${engine.jobs.get(jobId).state})`,
    timeoutMs,
  );
}

export function tailText(engine: Engine, jobId: string): string {
  return engine
    .jobs.tail(jobId)
    .chunks.map((c) => c.text)
    .join('');
}

/** State letter of /proc/PID/stat (R, S, T, Z…), or undefined when the process is gone. */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** A pid counts as alive unless it is gone or a zombie (exited, waiting to be reaped). */
export function isAlive(pid: number): boolean {
  const state = procState(pid);
  return state !== undefined && state !== 'Z';
}

export { childrenOf, groupMembers } from '../e2e/procfs';
