// Order of lines written back to back to stdout and stderr: a job alternates `echo out N` and
// `echo err N >&2` 1000 times; how much of that order survives in the live tail and in the log
// file, with the two pipes (the default) and with mergeStderr (one pipe). Rounds alternate.
import { readFileSync, rmSync } from 'node:fs';
import { Engine } from '../../electron/engine/engine';
import { versionOf } from '../../electron/engine/logs/logFileFormat';
import { decodeLogText } from '../../electron/engine/logs/logFileDecoding';
import { runLogPath } from '../../electron/engine/logs/runLogFiles';
import type { LogChunk } from '../../shared/jobSnapshot';
import { isFinal } from '../../shared/jobState';
import { tempDir } from '../engine/helpers';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCRIPT = `i=0; while [ $i -lt ${PAIRS} ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done`;

export interface OrderScore {
  lines: number;
  /** Lines that came after a line the job wrote later. */
  outOfOrder: number;
  /** Places where the stream changes from one line to the next (the job's own order has 2 × PAIRS - 1). */
  switches: number;
  /** Lines whose stream mark is not the stream the job wrote them to. */
  mislabelled: number;
}

/** Scores lines "out N" / "err N": the job wrote out N, then err N, then out N+1… */
export function scoreOrder(chunks: readonly LogChunk[]): OrderScore {
  const lines: { written: number; stream: string; wrote: string }[] = [];
  for (const chunk of chunks) {
    for (const text of chunk.text.split('\n')) {
      const match = /^(out|err) (\d+)$/.exec(text);
      if (match) lines.push({ written: Number(match[2]) * 2 + (match[1] === 'err' ? 1 : 0), stream: chunk.stream, wrote: match[1] === 'err' ? 'stderr' : 'stdout' });
    }
  }
  let outOfOrder = 0;
  let switches = 0;
  let latest = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.written < latest) outOfOrder++;
    else latest = line.written;
    if (i > 0 && line.stream !== lines[i - 1]!.stream) switches++;
  }
  return { lines: lines.length, outOfOrder, switches, mislabelled: lines.filter((l) => l.stream !== l.wrote).length };
}

async function round(mergeStderr: boolean): Promise<{ tail: OrderScore; file: OrderScore }> {
  const dataDir = tempDir('procdeck-bench-order-');
  const engine = Engine.open({ dataDir });
  const job = engine.jobs.start({ name: 'alternate', command: { kind: 'shell', script: SCRIPT }, mergeStderr });
  await new Promise<void>((resolve) => {
    const check = () => isFinal(engine.jobs.get(job.id).state) && resolve();
    engine.events.on('jobs.changed', check);
    check();
  });
  const tail = scoreOrder(engine.jobs.tail(job.id).chunks);
  const snapshot = engine.jobs.get(job.id);
  await engine.shutdown();
  const text = readFileSync(runLogPath(dataDir, job.id, snapshot.runId!), 'utf8');
  const file = scoreOrder(decodeLogText(text, versionOf(text)));
  rmSync(dataDir, { recursive: true, force: true });
  return { tail, file };
}

const describe = (s: OrderScore) => `${s.outOfOrder} of ${s.lines} lines out of order (${((100 * s.outOfOrder) / Math.max(1, s.lines)).toFixed(1)} %), ${s.switches} stream switches, ${s.mislabelled} mislabelled`;

export async function runLogOrderBench(): Promise<void> {
  console.log(`log order: ${PAIRS} × (echo out N; echo err N >&2), ${ROUNDS} alternating rounds`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const merge of [false, true]) {
      const { tail, file } = await round(merge);
      console.log(`  round ${r + 1}, ${merge ? 'mergeStderr (one pipe)' : 'two pipes (default)  '}: tail ${describe(tail)}; file ${describe(file)}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLogOrderBench();
