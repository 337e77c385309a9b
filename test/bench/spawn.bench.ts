// Spawn throughput: 1000 `/bin/true` jobs through the engine vs a plain child_process.spawn
// loop at the same concurrency, in the same run. Target: engine ≥ 0.6× raw.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Engine } from '../../electron/engine/engine';
import { isFinal } from '../../shared/jobState';
import { tempDir } from '../engine/helpers';

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);

/** Wall ms, and CPU ms this process spent (user + system), for one loop. */
interface LoopCost {
  ms: number;
  cpuMs: number;
}

async function measured(loop: () => Promise<void>): Promise<LoopCost> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await loop();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

export async function rawSpawnLoop(count: number, concurrency: number): Promise<void> {
  let launched = 0;
  await new Promise<void>((resolve) => {
    let done = 0;
    const next = () => {
      if (launched >= count) return;
      launched++;
      const child = spawn('/bin/true', [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.resume();
      child.stderr.resume();
      child.on('close', () => {
        if (++done === count) resolve();
        else next();
      });
    };
    for (let i = 0; i < concurrency; i++) next();
  });
}

async function engineLoop(count: number, concurrency: number): Promise<LoopCost> {
  const dataDir = tempDir('procdeck-bench-');
  const engine = Engine.open({ dataDir, settings: { maxConcurrent: concurrency } });
  const cost = await measured(async () => {
    const ids = new Set<string>();
    const finished = new Promise<void>((resolve) => {
      engine.events.on('jobs.changed', ({ jobs }) => {
        for (const job of jobs) if (isFinal(job.state)) ids.delete(job.id);
        if (ids.size === 0) resolve();
      });
    });
    for (let i = 0; i < count; i++) ids.add(engine.jobs.start({ command: { kind: 'argv', program: '/bin/true' }, stdin: 'closed' }).id);
    await finished;
  });
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
  return cost;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Raw and engine runs alternate, ROUNDS times each, and the median of the per-round ratios is
 * reported: fork cost on a shared 2-core VM drifts by 2× within a minute, so one raw run and
 * one engine run minutes apart would mostly measure the drift.
 */
export async function runSpawnBench(concurrencies = [2, 8, 32], jobs = JOBS): Promise<void> {
  console.log(`spawn throughput: ${jobs} × /bin/true, ${ROUNDS} alternating rounds per concurrency`);
  await rawSpawnLoop(50, 4); // warm up
  for (const c of concurrencies) {
    const ratios: number[] = [];
    const raws: number[] = [];
    const engines: number[] = [];
    const ownCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const raw = await measured(() => rawSpawnLoop(jobs, c));
      const engine = await engineLoop(jobs, c);
      raws.push(jobs / (raw.ms / 1000));
      engines.push(jobs / (engine.ms / 1000));
      ratios.push(raw.ms / engine.ms);
      // What the engine spends per job beyond what spawning itself costs in this process.
      ownCpu.push((engine.cpuMs - raw.cpuMs) / jobs);
    }
    const ratio = median(ratios);
    console.log(
      `  concurrency ${String(c).padStart(2)}: raw ${median(raws).toFixed(0)} jobs/s, engine ${median(engines).toFixed(0)} jobs/s → ${ratio.toFixed(2)}× raw (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target ≥ 0.6×) ${ratio >= 0.6 ? 'OK' : 'MISSED'}; engine's own CPU ${median(ownCpu).toFixed(2)} ms/job`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSpawnBench();
