// How the manager's CPU per sampling tick moves over the minutes after 100 `sleep` jobs
// started, for one server: `npx tsx test/bench/tickDrift.bench.ts`. The tick benches measure
// one window after a settle time; this one prints every TICK_DRIFT_STEP_S window from the
// moment the jobs run, split into the main thread and V8's helper threads (schedstat), to show
// whether a figure taken 45 s in is still warm-up (issue 15). When the command carries
// `--trace-opt --trace-deopt`, each window also lists what V8 compiled with TurboFan (and its
// compile time) and what it deoptimized (and why) in it, from the server's stdout. Not in CI.
//
// TICK_DRIFT_CMD: the server command (default: this checkout's bin with package.json's serve
// flags); TICK_DRIFT_S (300), TICK_DRIFT_STEP_S (15), TICK_DRIFT_JOBS (100).
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sleep } from './peers/peer';
import { cpuTimeOf, loadAverage, managerProcesses } from './peers/procfs';
import { withSettledSleepers } from './peers/settledSleepers';

const root = resolve(import.meta.dirname, '../..');
const TOTAL_MS = Number(process.env.TICK_DRIFT_S ?? 300) * 1000;
const STEP_MS = Number(process.env.TICK_DRIFT_STEP_S ?? 15) * 1000;
const JOBS = Number(process.env.TICK_DRIFT_JOBS ?? 100);
const SAMPLE_MS = 1000;

const words = (process.env.TICK_DRIFT_CMD ?? `node --max-semi-space-size=1 --expose-gc --v8-pool-size=1 ${root}/electron/bin/procdeck.js serve`).trim().split(/\s+/);
const command = [words[0] === 'node' ? process.execPath : words[0]!, ...words.slice(1)];

/** CPU ms by thread: the main thread (tid = pid) and all the others (V8's compiler and GC helpers, libuv's pool). */
function threadTimes(pids: readonly number[]): { main: number; helpers: number } {
  let main = 0;
  let helpers = 0;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const ms = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      if (tid === String(pid)) main += ms;
      else helpers += ms;
    }
  }
  return { main, helpers };
}

/** What V8's tiering trace says about the lines printed since the last call: TurboFan compiles (with the wall time V8 prints, which on a loaded machine is not CPU) and deopts (with the reason). */
function tiering(lines: readonly string[]): string {
  const compiled: string[] = [];
  const deopts: string[] = [];
  for (const line of lines) {
    const fn = /<JSFunction (?:(\S+) )?\(sfi/.exec(line);
    const name = (fn ? fn[1] : /<SharedFunctionInfo ([^>]*)>/.exec(line)?.[1]) ?? '(anonymous)';
    const took = /^\[completed compiling .* took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
    if (took) compiled.push(`${name} ${(Number(took[1]) + Number(took[2]) + Number(took[3])).toFixed(1)} ms`);
    else if (/^\[bailout|for deoptimization/.test(line)) deopts.push(`${name} (${/reason: ([^)\]]*)/.exec(line)?.[1] ?? '?'})`);
  }
  return [compiled.length > 0 ? `compiled (V8's wall time, not CPU) ${compiled.join(', ')}` : '', deopts.length > 0 ? `deopt ${deopts.join(', ')}` : ''].filter(Boolean).join('; ');
}

console.log(`tick drift: ${JOBS} sleep jobs, sampling every ${SAMPLE_MS} ms, ${STEP_MS / 1000} s windows for ${TOTAL_MS / 1000} s; \`${command.join(' ')}\`; load ${loadAverage()}`);
await withSettledSleepers({ label: 'drift', command, count: JOBS, sampleMs: SAMPLE_MS, settleMs: 0 }, async (peer, marker) => {
  const pids = managerProcesses(peer.treeRoots(), [marker]).map((e) => e.pid);
  const perTick = (ms: number, wall: number) => ((ms / wall) * SAMPLE_MS).toFixed(2);
  const start = performance.now();
  let printed = peer.serverOutput().length;
  let [at, cpu, threads] = [start, cpuTimeOf(pids).schedMs, threadTimes(pids)];
  while (at - start < TOTAL_MS) {
    await sleep(STEP_MS);
    const [now, cpuNow, threadsNow] = [performance.now(), cpuTimeOf(pids).schedMs, threadTimes(pids)];
    const output = peer.serverOutput();
    const trace = tiering(output.slice(printed).split('\n'));
    printed = output.length;
    const wall = now - at;
    const span = `${((at - start) / 1000).toFixed(0)}–${((now - start) / 1000).toFixed(0)} s`;
    console.log(
      `  ${span}: ${perTick(cpuNow - cpu, wall)} ms per tick (main thread ${perTick(threadsNow.main - threads.main, wall)}, helpers ${perTick(threadsNow.helpers - threads.helpers, wall)}), load ${loadAverage()}${trace ? `\n      ${trace}` : ''}`,
    );
    [at, cpu, threads] = [now, cpuNow, threadsNow];
  }
});
