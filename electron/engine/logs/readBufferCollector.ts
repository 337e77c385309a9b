import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A read of a job's pipe as a stream arrives in a new buffer of its own (64 KiB under a flood;
 * a local flood moves to the reader's own reused buffers, supervisor/outputReader.ts, and its
 * lent reads are not counted here; Slurm's output and runtimes without them are), memory
 * off the V8 heap that is given back only when V8 collects the small object holding it. V8
 * collects the young generation when new objects fill it (2 MiB with --max-semi-space-size=1),
 * and the log path makes few objects per read: under a 1 GiB flood 30–50 MB of dead read
 * buffers waited for a collection, most of the server's peak RSS, and the flood ran slower on
 * fresh memory. So while output pours in, a young-generation collection (a scavenge: 0.4 ms
 * median under --trace-gc, little is alive) comes every COLLECT_EVERY_BYTES read instead.
 *
 * Measured (1 GiB in-process flood, 3 alternating rounds): every 1 MiB as fast as every 4 MiB;
 * every 16 MiB 1.4× the time (1.81–1.96 s against 2.55–2.73 s) and +15–20 MB peak.
 */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

/**
 * `gc` as --expose-gc gives it (the bins and npm scripts start node with it), or else the same
 * function taken from a fresh context once the flag is set: V8 puts `gc` in every context made
 * after expose-gc is on. That is how the Electron main process, whose command line Procdeck does
 * not write, gets one. Should V8 refuse, nothing changes but the peak.
 */
function youngCollector(): NodeJS.GCFunction | undefined {
  if (globalThis.gc) return globalThis.gc;
  try {
    setFlagsFromString('--expose-gc');
    const exposed: unknown = runInNewContext('gc');
    return typeof exposed === 'function' ? (exposed as NodeJS.GCFunction) : undefined;
  } catch {
    return undefined;
  }
}

const collect = youngCollector();
/** Whether collections are asked for here (for the tests, and the Electron main process's sake). */
export const collectsYoung = collect !== undefined;
let readSinceCollection = 0;

/** `bytes` of output were read into a buffer of their own. */
export function outputRead(bytes: number): void {
  if (!collect) return;
  readSinceCollection += bytes;
  if (readSinceCollection < COLLECT_EVERY_BYTES) return;
  readSinceCollection = 0;
  collect({ type: 'minor' });
}
