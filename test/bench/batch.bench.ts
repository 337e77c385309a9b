// Batch admission: how long a batches.submit of N lines takes to be answered, and how long
// other requests (engine.info, jobs.list) issued meanwhile wait for their answers. Both go
// through the hosts' dispatch, as a client's would. The batch's group is paused so that only
// admission is measured, not the jobs running.
import { rmSync } from 'node:fs';
import { Engine } from '../../electron/engine/engine';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import { tempDir } from '../engine/helpers';

const SIZES = (process.env.BENCH_BATCH_SIZES ?? '10000,100000').split(',').map(Number);
/** Past this, the submit is reported as unanswered rather than waited for. */
const GIVE_UP_MS = Number(process.env.BENCH_BATCH_GIVE_UP_MS ?? 120_000);
const PROBE_EVERY_MS = 20;

const percentile = (xs: number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!);

async function measureBatch(lines: number): Promise<void> {
  const dataDir = tempDir('procdeck-bench-batch-');
  const engine = Engine.open({ dataDir, settings: { maxConcurrent: 2 } });
  const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'bench' }));
  engine.scheduler.updateGroup('bench', { paused: true });
  const text = Array.from({ length: lines }, (_, i) => `echo item ${i}`).join('\n');
  const latencies: Record<'engine.info' | 'jobs.list', number[]> = { 'engine.info': [], 'jobs.list': [] };
  /** When the submit was answered: probes due before it count, even if they run after it. */
  let answeredAt = Infinity;
  // A client that asks every PROBE_EVERY_MS while the batch is admitted (alternating the two
  // requests). A request is counted from when the client sends it: while the engine's event
  // loop is busy it waits in the socket, so its latency is answer time minus due time.
  const probing = (async () => {
    let turn = 0;
    let due = performance.now();
    while (due < answeredAt) {
      const name = turn++ % 4 === 3 ? 'jobs.list' : 'engine.info';
      await dispatch(name, {});
      latencies[name].push(performance.now() - due);
      due += PROBE_EVERY_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else due = performance.now();
    }
  })();
  // Let the first probe go out before the submit, as a client connected beforehand would.
  await new Promise((r) => setTimeout(r, 5));
  const started = performance.now();
  const submit = dispatch('batches.submit', { lines: text, group: 'bench' });
  const outcome = await Promise.race([submit, new Promise<'gave up'>((r) => setTimeout(() => r('gave up'), GIVE_UP_MS).unref())]);
  const submitMs = performance.now() - started;
  if (outcome === 'gave up') {
    console.log(`  ${lines} lines: no answer within ${GIVE_UP_MS / 1000} s (process exits without waiting further)`);
    process.exit(0);
  }
  answeredAt = started + submitMs;
  await probing;
  if (!outcome.ok) throw new Error(`submit failed: ${outcome.error.message}`);
  const info = latencies['engine.info'];
  const list = latencies['jobs.list'];
  console.log(
    `  ${String(lines).padStart(6)} lines: answered in ${(submitMs / 1000).toFixed(2)} s; meanwhile engine.info p50 ${percentile(info, 0.5).toFixed(1)} ms, max ${Math.max(...info).toFixed(1)} ms (${info.length} sent); jobs.list max ${list.length ? Math.max(...list).toFixed(1) : '–'} ms (${list.length} sent)`,
  );
  await engine.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
}

export async function runBatchBench(sizes = SIZES): Promise<void> {
  console.log('batch admission: batches.submit of N lines into a paused group, probed with engine.info / jobs.list');
  for (const size of sizes) await measureBatch(size);
}

if (import.meta.url === `file://${process.argv[1]}`) await runBatchBench();
