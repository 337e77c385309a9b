// The manager's CPU per sampling tick while it supervises 100 `sleep` jobs (issue 15's CPU
// row), for two builds in one run: `npx tsx test/bench/tickCost.bench.ts`. Each round runs
// every build once, starting one further along, so both see the same machine; the figure is
// the server's own CPU (schedstat, all threads, jobs excluded) over the window per second of
// wall time, which at 1 Hz sampling is per tick, and the last lines give each build's median
// and its ratio to the first build's. Not in CI.
//
// TICK_COST_CMDS: the server commands, `;`-separated (default: this checkout's bin alone; put
// an older checkout's `node …/dist/node/procdeck.js serve` first to compare);
// TICK_COST_ROUNDS (3), TICK_COST_WINDOW_S (30), TICK_COST_SETTLE_S (8: as the peers bench,
// V8 is still compiling the tick's code then; 45 s or more shows the steady state),
// TICK_COST_JOBS (100), TICK_COST_THREADS=1 (each thread's share: the main thread against
// V8's compiler and GC helpers). A command may carry node flags
// (`node --cpu-prof --cpu-prof-interval=250 --cpu-prof-dir=/tmp/prof …/dist/node/procdeck.js serve`).
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sleep } from './peers/peer';
import { cpuTimeOf, loadAverage, managerProcesses } from './peers/procfs';
import { median } from './peers/report';
import { withSettledSleepers } from './peers/settledSleepers';

const root = resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.TICK_COST_ROUNDS ?? 3);
const WINDOW_MS = Number(process.env.TICK_COST_WINDOW_S ?? 30) * 1000;
const SETTLE_MS = Number(process.env.TICK_COST_SETTLE_S ?? 8) * 1000;
const JOBS = Number(process.env.TICK_COST_JOBS ?? 100);
const SAMPLE_MS = 1000;

const commands = (process.env.TICK_COST_CMDS ?? `node --max-semi-space-size=1 ${root}/electron/bin/procdeck.js serve`)
  .split(';')
  .map((text) => text.trim())
  .filter(Boolean)
  .map((text) => text.split(/\s+/).map((word, i) => (i === 0 && word === 'node' ? process.execPath : word)));

/** CPU ms of the server (jobs excluded) per second of wall time, which at 1 Hz is per tick. */
async function oneRound(command: string[], label: string): Promise<number> {
  return withSettledSleepers({ label, command, count: JOBS, sampleMs: SAMPLE_MS, settleMs: SETTLE_MS }, async (peer, marker) => {
    const pids = managerProcesses(peer.treeRoots(), [marker]).map((e) => e.pid);
    const before = cpuTimeOf(pids);
    const threadsBefore = process.env.TICK_COST_THREADS ? threadTimes(pids) : undefined;
    const started = performance.now();
    await sleep(WINDOW_MS);
    const after = cpuTimeOf(pids);
    const wall = performance.now() - started;
    if (threadsBefore) {
      const threadsAfter = threadTimes(pids);
      for (const [key, ms] of threadsAfter) console.log(`    ${key}: ${(((ms - (threadsBefore.get(key) ?? 0)) / wall) * SAMPLE_MS).toFixed(2)} ms per tick`);
    }
    return ((after.schedMs - before.schedMs) / wall) * SAMPLE_MS;
  });
}

/** Each thread's CPU ms (schedstat), by pid/tid and name: where the time goes besides the main thread (GC helpers, libuv pool). */
function threadTimes(pids: readonly number[]): Map<string, number> {
  const times = new Map<string, number>();
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const base = `/proc/${pid}/task/${tid}`;
      const name = readFileSync(`${base}/comm`, 'utf8').trim();
      times.set(`${pid}/${tid} ${name}`, Number(readFileSync(`${base}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    }
  }
  return times;
}

const results = commands.map(() => [] as number[]);
console.log(`tick cost: ${JOBS} sleep jobs, sampling every ${SAMPLE_MS} ms, ${WINDOW_MS / 1000} s windows, ${ROUNDS} alternating rounds; load ${loadAverage()}`);
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < commands.length; i++) {
    const index = (i + round) % commands.length;
    const msPerTick = await oneRound(commands[index]!, `build ${index + 1}`);
    results[index]!.push(msPerTick);
    console.log(`  round ${round + 1}, build ${index + 1}: ${msPerTick.toFixed(2)} ms CPU per tick = ${(msPerTick / 10).toFixed(3)} % of a core (load ${loadAverage()})`);
  }
}
const first = median(results[0]!);
commands.forEach((command, i) => {
  const m = median(results[i]!);
  console.log(`build ${i + 1} \`${command.join(' ')}\`: median ${m.toFixed(2)} ms per tick = ${(m / 10).toFixed(3)} %${i > 0 ? `, ${(m / first).toFixed(2)}× build 1` : ''}`);
});
