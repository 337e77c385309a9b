import { createProbeRunner, type ProbeDependencies } from '../../../electron/engine/health/createProbeRunner';
import { HealthTracker, type HealthState, type HealthTrackerOptions } from '../../../electron/engine/health/healthTracker';
import { normalizeProbe } from '../../../electron/engine/health/normalizeProbe';
import type { ProbeAttempt } from '../../../electron/engine/health/probeAttempt';
import type { ProbeInput, ProbeRole } from '../../../electron/engine/health/probeSpec';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../helpers';

/** One attempt of a probe, aborted only by the safety net (a broken build), never as the test's clock. */
export async function attemptOnce(input: ProbeInput, dependencies: ProbeDependencies = {}, signal?: AbortSignal): Promise<ProbeAttempt> {
  const runner = createProbeRunner(normalizeProbe(input, 'probe').check, dependencies);
  try {
    return await runner.attempt(signal ?? AbortSignal.timeout(20_000));
  } finally {
    runner.dispose();
  }
}

const trackers: HealthTracker[] = [];

/** A started tracker, disposed by disposeTrackers() after each test. */
export function track(role: ProbeRole, input: ProbeInput, extra: Partial<HealthTrackerOptions> = {}): HealthTracker {
  const tracker = new HealthTracker({ role, probe: normalizeProbe(input, role), ...extra });
  trackers.push(tracker);
  tracker.start();
  return tracker;
}

export async function disposeTrackers(): Promise<void> {
  killTrackerChildren();
  await Promise.all(trackers.splice(0).map((tracker) => tracker.dispose()));
}

export function waitForHealth(tracker: HealthTracker, state: HealthState, timeoutMs?: number): Promise<true> {
  return waitFor(
    () => tracker.state === state,
    () => `${tracker.target} to be ${state} (is ${tracker.state}; last results: ${JSON.stringify(tracker.results().slice(-3).map((r) => r.message))})`,
    timeoutMs,
  );
}

export interface TrackerChild {
  send(line: string): void;
  /** What it printed after dispose: the kinds of handle its event loop still held, and its result count. */
  said: Promise<{ held: string[]; results: number }>;
  /** Its exit code once it has ended by itself (it has nothing left to wait for). */
  exited: Promise<number | null>;
  kill(): void;
}

const children: TrackerChild[] = [];

/** A tracker in its own process (fixtures/trackerChild.ts), killed by killTrackerChildren() if it has not ended. */
export function trackerChild(input: ProbeInput): TrackerChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/trackerChild.ts'), JSON.stringify(input)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const said = new Promise<{ held: string[]; results: number }>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.endsWith('\n')) resolve(JSON.parse(out) as { held: string[]; results: number });
    });
    child.once('exit', (code) => reject(new Error(`tracker child ended (${code}) before saying what it holds`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const handle: TrackerChild = { send: (line) => child.stdin.write(`${line}\n`), said, exited, kill: () => child.kill('SIGKILL') };
  children.push(handle);
  return handle;
}

export function killTrackerChildren(): void {
  for (const child of children.splice(0)) child.kill();
}
