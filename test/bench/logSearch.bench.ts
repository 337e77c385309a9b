// Whole-log search: `logs.search` through the hosts' dispatch (as a client's would) over a run's
// log of BENCH_SEARCH_LINES lines on disk, against `grep -c` on the same file in the same run
// (grep reads the file as it is on disk; logs.search reads it as the operator does: lines put
// back together from their entries, escape sequences left out). Alternating rounds, medians.
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { Engine } from '../../electron/engine/engine';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import { commands } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import { isFinal } from '../../shared/jobState';
import { tempDir } from '../engine/helpers';
import { waitFor } from '../support/wait';

const LINES = Number(process.env.BENCH_SEARCH_LINES ?? 2_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** One line in 40,000 holds the needle. */
const EVERY = 40_000;
const SCRIPT = `awk 'BEGIN { for (i = 1; i <= ${LINES}; i++) print (i % ${EVERY} == 0 ? "Needle " : "hay ") i " lorem ipsum dolor sit amet, consectetur adipiscing elit" }'`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

async function timedAsync<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

export async function runLogSearchBench(): Promise<void> {
  const dataDir = tempDir('procdeck-bench-search-');
  // No rotation (one file of ~170 MiB under a 1 GiB part size), so that grep reads exactly what the search reads.
  const engine = Engine.open({ dataDir, settings: { logMaxBytes: 1024 ** 3 } });
  const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'bench' }));
  try {
    const job = engine.jobs.start({ command: { kind: 'shell', script: SCRIPT } });
    await waitFor(() => isFinal(engine.jobs.get(job.id).state), 'the log-writing job to end', 600_000);
    const file = engine.jobs.tail(job.id).filePath;
    if (!file) throw new Error('the job has no log file');
    const expected = Math.floor(LINES / EVERY);
    console.log(`whole-log search: ${LINES.toLocaleString('en')} lines, ${formatBytes(statSync(file).size)} on disk, ${expected} matching lines`);
    const cases = [
      { name: 'plain, any case', request: { query: 'needle', caseSensitive: false, regex: false }, grep: ['-c', '-i', '-F', 'needle'] },
      { name: 'plain, exact case', request: { query: 'Needle', caseSensitive: true, regex: false }, grep: ['-c', '-F', 'Needle'] },
      { name: 'regex', request: { query: 'Needle \\d+0000 ', caseSensitive: true, regex: true }, grep: ['-c', '-E', 'Needle [0-9]+0000 '] },
    ];
    for (const { name, request, grep } of cases) {
      const searchMs: number[] = [];
      const grepMs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const searched = await timedAsync(() => dispatch('logs.search', { jobId: job.id, limit: 10, ...request }));
        if (!searched.value.ok) throw new Error(`logs.search failed: ${searched.value.error.message}`);
        const grepped = timed(() => Number(execFileSync('grep', [...grep, file], { encoding: 'utf8' }).trim()));
        const { total } = commands['logs.search'].response.parse(searched.value.value);
        if (total !== grepped.value) throw new Error(`${name}: logs.search found ${total}, grep ${grepped.value}`);
        searchMs.push(searched.ms);
        grepMs.push(grepped.ms);
      }
      const ours = median(searchMs);
      const theirs = median(grepMs);
      console.log(`  ${name.padEnd(18)} logs.search ${(ours / 1000).toFixed(2)} s, grep -c ${(theirs / 1000).toFixed(2)} s: ${(ours / theirs).toFixed(1)}× grep's time (medians of ${ROUNDS})`);
    }
  } finally {
    await engine.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLogSearchBench();
