// Does spawning from a small long-lived process (a fork server) pay, against spawning from a
// process the engine's size? Alternating rounds in the same run, each in a fresh plain node
// with the engine's flags (spawnerProbe.mjs): (i) it spawns itself, (ii) it asks a small node
// child over an IPC channel (JSON messages) to spawn and report pid and exit.
// `npx tsx test/bench/spawner.bench.ts` (BENCH_ROUNDS, BENCH_JOBS, BENCH_CONCURRENCY, BENCH_SLEEPS,
// BENCH_WORK_MS: the engine's other work a short job, spent on the forking thread).
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const JOBS = Number(process.env.BENCH_JOBS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SLEEPS = Number(process.env.BENCH_SLEEPS ?? 100);
const WORK_MS = Number(process.env.BENCH_WORK_MS ?? 0);
const PROBE = join(import.meta.dirname, 'spawnerProbe.mjs');

interface Round {
  mode: string;
  jobsPerS: number;
  parentCpuMsPerJob: number;
  spawnerCpuMsPerJob: number;
  faultsPerJob: number;
  startMs: number;
  stopMs: number;
  sleepParentCpuMs: number;
  rssMiB: number;
}

function round(mode: 'direct' | 'spawner'): Round {
  const out = execFileSync(process.execPath, ['--max-semi-space-size=1', '--expose-gc', '--v8-pool-size=1', PROBE, mode, String(JOBS), String(CONCURRENCY), String(SLEEPS), String(WORK_MS)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Round;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rounds: Record<'direct' | 'spawner', Round[]> = { direct: [], spawner: [] };
const loads: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  for (const mode of i % 2 === 0 ? (['direct', 'spawner'] as const) : (['spawner', 'direct'] as const)) {
    const result = round(mode);
    rounds[mode].push(result);
    loads.push(loadavg()[0]);
    console.log(`round ${i + 1} ${mode.padEnd(7)} ${result.jobsPerS.toFixed(0)} jobs/s, parent CPU ${result.parentCpuMsPerJob.toFixed(2)} ms/job, spawner ${result.spawnerCpuMsPerJob.toFixed(2)} ms/job, faults ${result.faultsPerJob.toFixed(0)}/job, start ${result.startMs.toFixed(0)} ms, stop ${result.stopMs.toFixed(0)} ms, start CPU ${result.sleepParentCpuMs.toFixed(0)} ms, RSS ${result.rssMiB.toFixed(0)} MiB`);
  }
}
const pick = (mode: 'direct' | 'spawner', key: keyof Omit<Round, 'mode'>) => median(rounds[mode].map((r) => r[key]));
console.log(`\nmedians of ${ROUNDS} alternating rounds, ${WORK_MS} ms of other work a job, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`);
for (const key of ['jobsPerS', 'parentCpuMsPerJob', 'spawnerCpuMsPerJob', 'faultsPerJob', 'startMs', 'stopMs', 'sleepParentCpuMs'] as const) {
  const direct = pick('direct', key);
  const viaSpawner = pick('spawner', key);
  console.log(`${key.padEnd(20)} direct ${direct.toFixed(2).padStart(8)}  spawner ${viaSpawner.toFixed(2).padStart(8)}  ratio ${direct === 0 ? '–' : (viaSpawner / direct).toFixed(2)}`);
}
