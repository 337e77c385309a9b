// Short jobs through Procdeck's WebSocket API against a plain child_process.spawn loop at the
// same concurrency, alternating, in one run: what `BENCH_JOBS=500 npm run bench -- spawn`
// measures for the engine in-process, measured here from outside the server process.
//
// The raw loop runs in a fresh plain `node` process, not in this one: a fork's cost grows with
// the forking process's touched memory (the loop below did 600–800 jobs/s in a 56 MiB node and
// 104–117 in one with 150 MiB more), and this bench process (tsx, its loader, the clients'
// job snapshots) is two to four times the server's size and changes as it runs. The figure
// then compared the two processes' memory more than the engine's work.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clockTicksPerSecond } from '../../../electron/engine/monitor/systemConstants';
import { cpuTimeOf } from './procfs';
import type { ProcdeckPeer } from './procdeckPeer';

/** The loop of spawn.bench.ts's rawSpawnLoop, as a script for a fresh node: prints the ms it took. */
const RAW_LOOP_SCRIPT = `
import { spawn } from 'node:child_process';
const [count, concurrency, warmUp] = process.argv.slice(1).map(Number);
const loop = (n, c) => new Promise((resolve) => {
  let launched = 0, done = 0;
  const next = () => {
    if (launched >= n) return;
    launched++;
    const child = spawn('/bin/true', [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('close', () => (++done === n ? resolve() : next()));
  };
  for (let i = 0; i < c; i++) next();
});
if (warmUp > 0) await loop(warmUp, 4);
const started = performance.now();
await loop(count, concurrency);
console.log(JSON.stringify({ ms: performance.now() - started, rssMiB: process.memoryUsage().rss / 1048576 }));
`;

/** `count` × /bin/true at `concurrency` from a fresh `node` (this bench's own node binary), timed inside it. */
export function rawSpawnLoopInFreshNode(count: number, concurrency: number, warmUp = 0): { ms: number; rssMiB: number } {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', RAW_LOOP_SCRIPT, String(count), String(concurrency), String(warmUp)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; rssMiB: number };
}

export interface ApiSpawnRound {
  rawMs: number;
  /** RSS of the process the raw loop forked from, at its end. */
  rawRssMiB: number;
  apiMs: number;
  /** The server's own CPU (its threads' schedstat run time) per job: load-independent, unlike apiMs. */
  serverCpuMsPerJob: number;
  /** The server's minor page faults per job (/proc/PID/stat): its copy-on-write after each fork among them. */
  serverFaultsPerJob: number;
  /** CPU of the server's reaped children per job (cutime + cstime): the job, and any wrapper exec'd before it. */
  childCpuMsPerJob: number;
}

/** Minor faults of a process so far, and its reaped children's CPU in clock ticks (fields 10, 16 and 17 of /proc/PID/stat). */
function faultsAndChildTicks(pid: number): { faults: number; childTicks: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
  return { faults: Number(fields[7]), childTicks: Number(fields[13]) + Number(fields[14]) };
}

/** One raw loop, then `count` × /bin/true through the peer's API; its pool limit must already be `concurrency`. */
export async function apiSpawnRound(peer: ProcdeckPeer, count: number, concurrency: number): Promise<ApiSpawnRound> {
  const raw = rawSpawnLoopInFreshNode(count, concurrency, 50);
  const server = peer.mainPid();
  const cpuBefore = cpuTimeOf([server]).schedMs;
  const before = faultsAndChildTicks(server);
  const started = performance.now();
  const ids = await peer.startJobs(Array.from({ length: count }, () => ({ command: { kind: 'argv', program: '/bin/true' }, stdin: 'closed' })));
  await peer.allEnded(ids);
  const apiMs = performance.now() - started;
  const serverCpuMsPerJob = (cpuTimeOf([server]).schedMs - cpuBefore) / count;
  const after = faultsAndChildTicks(server);
  const serverFaultsPerJob = (after.faults - before.faults) / count;
  const childCpuMsPerJob = ((after.childTicks - before.childTicks) * 1000) / clockTicksPerSecond() / count;
  // The next round starts from an empty job list, as this one did.
  await Promise.all(ids.map((jobId) => peer.invoke('jobs.remove', { jobId })));
  return { rawMs: raw.ms, rawRssMiB: raw.rssMiB, apiMs, serverCpuMsPerJob, serverFaultsPerJob, childCpuMsPerJob };
}
