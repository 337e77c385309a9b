// Where a stop of 100 sleeping jobs goes: the engine in-process against a plain
// child_process loop that sends SIGTERM to 100 sleeping process groups and waits for their
// exits, alternating rounds in the same run. Prints the wall time to "every process gone
// from /proc", the CPU this process spent, and their ratios. BENCH_STOP_JOBS (100),
// BENCH_ROUNDS (5); BENCH_STOP_PROFILE=<dir> writes a CPU profile of each engine stop there.
// BENCH_STOP_BASELINE=<checkout> adds that checkout's engine (its electron/engine/engine.ts,
// loaded by tsx beside this one) as a third arm of each round, for an A/B in one process.
// BENCH_STOP_SETTLE_MS (1000): between the engine's open and its jobs' start, as for a server
// that has been up a moment (its FIFO pool made in the background).
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine';
import { isFinal } from '../../shared/jobState';
import { tempDir } from '../engine/helpers';
import { waitFor } from '../support/wait';

const JOBS = Number(process.env.BENCH_STOP_JOBS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PROFILE_DIR = process.env.BENCH_STOP_PROFILE;
const BASELINE_ROOT = process.env.BENCH_STOP_BASELINE;
const SETTLE_MS = Number(process.env.BENCH_STOP_SETTLE_MS ?? 1000);

/** What this bench needs of an engine, this checkout's or the baseline's. */
type EngineClass = Pick<typeof Engine, 'open'>;

interface StopCost {
  /** From the first stop to every process gone from /proc (reaped). */
  goneMs: number;
  /** CPU of this process over the same span. */
  cpuMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fixed = (n: number) => n.toFixed(1);

async function timedUntilGone(pids: readonly number[], stop: () => void): Promise<StopCost> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  stop();
  await waitForGone(pids);
  const used = process.cpuUsage(cpu);
  return { goneMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Polls /proc at every turn of the event loop, no timer between polls (a timer would add its
 * own delay to the figure), and only from the first pid still there: the polls run on the
 * engine's thread and in its CPU figure, so each costs about one existsSync, not one a job.
 */
function waitForGone(pids: readonly number[]): Promise<void> {
  let next = 0;
  return new Promise((resolve) => {
    const look = () => {
      while (next < pids.length && !existsSync(`/proc/${pids[next]}`)) next++;
      if (next === pids.length) resolve();
      else setImmediate(look);
    };
    look();
  });
}

async function rawRound(): Promise<StopCost> {
  const children = Array.from({ length: JOBS }, () => spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' }));
  const pids = children.map((child) => child.pid!);
  await waitFor(() => pids.every((pid) => existsSync(`/proc/${pid}`)), 'the raw sleeps to start');
  return timedUntilGone(pids, () => {
    for (const pid of pids) process.kill(-pid, 'SIGTERM');
  });
}

async function engineRound(round: number, session: Session | undefined, engineClass: EngineClass = Engine, arm = 'engine'): Promise<StopCost> {
  const dataDir = tempDir('procdeck-stop-bench-');
  const engine = engineClass.open({ dataDir, settings: { maxConcurrent: JOBS } });
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const ids = Array.from({ length: JOBS }, (_, i) => engine.jobs.start({ name: `sleep ${i}`, command: { kind: 'argv', program: 'sleep', args: ['1000'] } }).id);
    await waitFor(() => ids.every((id) => engine.jobs.get(id).state === 'running'), 'the jobs to run', 60_000);
    const pids = ids.map((id) => engine.jobs.get(id).pid!);
    if (session) await session.post('Profiler.start');
    const cost = await timedUntilGone(pids, () => {
      for (const id of ids) engine.jobs.stop(id);
    });
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(PROFILE_DIR!, `stop-${arm}-${round}.cpuprofile`), JSON.stringify(profile));
    }
    await waitFor(() => ids.every((id) => isFinal(engine.jobs.get(id).state)), 'the runs to end', 60_000);
    return cost;
  } finally {
    await engine.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runStopBench(): Promise<void> {
  let session: Session | undefined;
  if (PROFILE_DIR) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
  }
  const raw: StopCost[] = [];
  const engine: StopCost[] = [];
  const baseline: StopCost[] = [];
  const baselineClass = BASELINE_ROOT ? ((await import(join(BASELINE_ROOT, 'electron/engine/engine.ts'))) as { Engine: EngineClass }).Engine : undefined;
  console.log(`stop of ${JOBS} sleeping jobs, ${ROUNDS} alternating rounds, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (let round = 0; round < ROUNDS; round++) {
    const a = await rawRound();
    // The baseline's arm before this engine's in odd rounds, after it in even ones.
    const c = baselineClass && round % 2 === 0 ? await engineRound(round, session, baselineClass, 'baseline') : undefined;
    const b = await engineRound(round, session);
    const d = baselineClass && round % 2 === 1 ? await engineRound(round, session, baselineClass, 'baseline') : c;
    raw.push(a);
    engine.push(b);
    if (d) baseline.push(d);
    const base = d ? `; baseline gone in ${fixed(d.goneMs)} ms (CPU ${fixed(d.cpuMs)} ms)` : '';
    console.log(`  round ${round + 1}: raw gone in ${fixed(a.goneMs)} ms (CPU ${fixed(a.cpuMs)} ms); engine gone in ${fixed(b.goneMs)} ms (CPU ${fixed(b.cpuMs)} ms)${base}`);
  }
  const [rawGone, engineGone] = [median(raw.map((c) => c.goneMs)), median(engine.map((c) => c.goneMs))];
  const [rawCpu, engineCpu] = [median(raw.map((c) => c.cpuMs)), median(engine.map((c) => c.cpuMs))];
  console.log(`medians: raw ${fixed(rawGone)} ms, CPU ${fixed(rawCpu)} ms; engine ${fixed(engineGone)} ms, CPU ${fixed(engineCpu)} ms`);
  console.log(`engine / raw: time ${(engineGone / rawGone).toFixed(2)}×, CPU ${(engineCpu / rawCpu).toFixed(2)}× (load average now ${loadavg()[0]!.toFixed(2)})`);
  if (baseline.length > 0) {
    const [baseGone, baseCpu] = [median(baseline.map((c) => c.goneMs)), median(baseline.map((c) => c.cpuMs))];
    console.log(`baseline (${BASELINE_ROOT}): ${fixed(baseGone)} ms, CPU ${fixed(baseCpu)} ms; engine / baseline: time ${(engineGone / baseGone).toFixed(2)}×, CPU ${(engineCpu / baseCpu).toFixed(2)}×`);
  }
  session?.disconnect();
}

if (import.meta.url === `file://${process.argv[1]}`) await runStopBench();
