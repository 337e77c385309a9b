// Log ingest: a job writing 1 GB to stdout through the engine vs a raw pipe reader, in the
// same run. Targets: engine ≥ 0.3× raw throughput, engine RSS growth < 100 MB.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Engine } from '../../electron/engine/engine';
import { isFinal } from '../../shared/jobState';
import { tempDir } from '../engine/helpers';

const BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const SCRIPT = `head -c ${BYTES} /dev/zero | tr '\\0' 'x'`;

async function rawReader(): Promise<number> {
  const started = performance.now();
  const child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  let total = 0;
  child.stdout.on('data', (chunk: Buffer) => (total += chunk.length));
  await new Promise((r) => child.on('close', r));
  if (total !== BYTES) throw new Error(`raw reader got ${total} bytes`);
  return performance.now() - started;
}

async function throughEngine(): Promise<{ ms: number; rssGrowth: number }> {
  const dataDir = tempDir('procdeck-bench-');
  const engine = Engine.open({ dataDir });
  // Someone listens, as a host would: the batches are built and emitted for real.
  let batchBytes = 0;
  engine.events.on('logs.appended', ({ batches }) => {
    for (const b of batches) for (const c of b.chunks) batchBytes += c.text.length;
  });
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const job = engine.jobs.start({ command: { kind: 'shell', script: SCRIPT } });
  await new Promise<void>((resolve) =>
    engine.events.on('jobs.changed', ({ jobs }) => {
      if (jobs.some((j) => j.id === job.id && isFinal(j.state))) resolve();
    }),
  );
  const ms = performance.now() - started;
  clearInterval(watch);
  const out = engine.jobs.get(job.id).outputBytes;
  if (out !== BYTES) throw new Error(`engine recorded ${out} bytes`);
  if (batchBytes === 0) throw new Error('no log batches were emitted');
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
  return { ms, rssGrowth: peak - baseline };
}

export async function runLogIngestBench(): Promise<void> {
  const mb = BYTES / 1024 ** 2;
  console.log(`log ingest: ${mb.toFixed(0)} MiB on stdout`);
  const raw = await rawReader();
  const engine = await throughEngine();
  const ratio = raw / engine.ms;
  console.log(`  raw pipe reader: ${(mb / (raw / 1000)).toFixed(0)} MiB/s`);
  console.log(`  engine (file + tail + batches): ${(mb / (engine.ms / 1000)).toFixed(0)} MiB/s → ${ratio.toFixed(2)}× raw (target ≥ 0.3×) ${ratio >= 0.3 ? 'OK' : 'MISSED'}`);
  const growthMb = engine.rssGrowth / 1024 ** 2;
  console.log(`  engine RSS growth: ${growthMb.toFixed(1)} MB (target < 100 MB) ${growthMb < 100 ? 'OK' : 'MISSED'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runLogIngestBench();
