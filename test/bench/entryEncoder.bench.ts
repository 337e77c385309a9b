// The entry encoder alone: 1 GiB of the peers bench's log line in 64 KiB reads (libuv's largest)
// through the JS EntryEncoder and the WebAssembly one, alternating rounds (BENCH_ROUNDS, 5).
// Each read starts at another place in a line, as a pipe's reads do.
import { EntryEncoder } from '../../electron/engine/logs/logFileFormat';
import { readEncoder, WasmEntryEncoder, type ReadEncoder } from '../../electron/engine/logs/wasmEntryEncoder';

const READ = 65536;
const BYTES = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LINE = 'procdeck peer bench: a log line of about eighty characters, 0123456789 abcdefghij\n';

function reads(): Buffer[] {
  const text = Buffer.from(LINE.repeat(Math.ceil((READ * 2) / LINE.length)));
  return Array.from({ length: LINE.length }, (_, shift) => text.subarray(shift, shift + READ));
}

function encodeAll(encoder: ReadEncoder, chunks: Buffer[]): { ms: number; bytesOut: number } {
  let bytesOut = 0;
  const started = performance.now();
  for (let read = 0, at = 0; read * READ < BYTES; read++) {
    if (read % 64 === 0) at++;
    bytesOut += encoder.encode('stdout', chunks[read % chunks.length]!, at).length;
  }
  return { ms: performance.now() - started, bytesOut };
}

export async function runEntryEncoderBench(): Promise<void> {
  const wasm = readEncoder();
  if (!(wasm instanceof WasmEntryEncoder)) throw new Error('this runtime has no WebAssembly SIMD: nothing to compare');
  const js = new EntryEncoder();
  const chunks = reads();
  console.log(`entry encoder: ${(BYTES / 1024 ** 3).toFixed(2)} GiB in 64 KiB reads, ${ROUNDS} alternating rounds`);
  const times: Record<'js' | 'wasm', number[]> = { js: [], wasm: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, encoder] of (round % 2 ? [['wasm', wasm], ['js', js]] : [['js', js], ['wasm', wasm]]) as ['js' | 'wasm', ReadEncoder][]) {
      const { ms, bytesOut } = encodeAll(encoder, chunks);
      times[name].push(ms);
      console.log(`  round ${round + 1} ${name.padEnd(4)} ${ms.toFixed(0)} ms (${(bytesOut / 1024 ** 2).toFixed(0)} MiB out)  load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const [j, w] = [median(times.js), median(times.wasm)];
  console.log(`  median: JS ${j.toFixed(0)} ms, WebAssembly ${w.toFixed(0)} ms: ${(j / w).toFixed(2)}× the JS encoder's throughput`);
}
