// Spawn throughput: 1000 `/bin/true` jobs through the engine vs a plain child_process.spawn
// loop at the same concurrency, in the same run. Target: engine ≥ 0.6× raw.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Engine } from '../../electron/engine/engine';
import { isFinal } from '../../shared/jobState';
import { tempDir } from '../engine/helpers';

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);

async function rawSpawnLoop(count: number, concurrency: number): Promise<number> {
  const started = performance.now();
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
  return performance.now() - started;
}

async function engineLoop(count: number, concurrency: number): Promise<number> {
  const dataDir = tempDir('procdeck-bench-');
  const engine = Engine.open({ dataDir, settings: { maxConcurrent: concurrency } });
  const started = performance.now();
  const ids = new Set<string>();
  const finished = new Promise<void>((resolve) => {
    engine.events.on('jobs.changed', ({ jobs }) => {
      for (const job of jobs) if (isFinal(job.state)) ids.delete(job.id);
      if (ids.size === 0) resolve();
    });
  });
  for (let i = 0; i < count; i++) ids.add(engine.start({ command: { kind: 'argv', program: '/bin/true' }, stdin: 'closed' }).id);
  await finished;
  const elapsed = performance.now() - started;
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
  return elapsed;
}

export async function runSpawnBench(concurrencies = [2, 8, 32]): Promise<void> {
  console.log(`spawn throughput: ${JOBS} × /bin/true`);
  await rawSpawnLoop(50, 4); // warm up
  for (const c of concurrencies) {
    const raw = await rawSpawnLoop(JOBS, c);
    const engine = await engineLoop(JOBS, c);
    const ratio = raw / engine;
    console.log(
      `  concurrency ${String(c).padStart(2)}: raw ${(JOBS / (raw / 1000)).toFixed(0)} jobs/s, engine ${(JOBS / (engine / 1000)).toFixed(0)} jobs/s → ${ratio.toFixed(2)}× raw (target ≥ 0.6×) ${ratio >= 0.6 ? 'OK' : 'MISSED'}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSpawnBench();
