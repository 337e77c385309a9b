// Quick RSS probe (issue 15): starts a server build with a temporary data dir and the UI
// attached (test/bench/peers/procdeckPeer.ts), reads /proc/<pid>/status and smaps once it has
// settled, idle and with N `sleep` jobs (and its CPU over the second half of that wait).
// Builds alternate within a round, so the figures of one run compare.
// PROBE_CMDS="label=cmd;label=cmd" (default: this checkout's serve script), PROBE_ROUNDS, PROBE_SETTLE_S, PROBE_JOBS.
// A command with node's --trace-opt also prints what V8 optimized before the idle figures were
// read: one optimization at idle touches the optimizing compiler's pages of the node binary
// (RssFile +3.5 MB) and its zones (malloc's main heap +1.3 MB), the README's second idle state.
// A command with `--import ./test/bench/heapProbe.mjs` (and --expose-gc) also prints V8's live heap
// after two full collections, asked for once each RSS figure is read: a figure the load does not move.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/wait';
import { ProcdeckPeer, serverCommand } from './peers/procdeckPeer';
import { sleep } from './peers/peer';

const settleS = Number(process.env.PROBE_SETTLE_S ?? 20);
const jobs = Number(process.env.PROBE_JOBS ?? 100);
const rounds = Number(process.env.PROBE_ROUNDS ?? 1);
const cmds = (process.env.PROBE_CMDS ?? `this=${serverCommand().join(' ')}`).split(';').map((pair) => {
  const at = pair.indexOf('=');
  return { label: pair.slice(0, at), command: pair.slice(at + 1).trim().split(/\s+/) };
});

function status(pid: number): string {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Math.round(Number(/\s(\d+) kB/.exec(text.split('\n').find((l) => l.startsWith(key + ':'))!)![1]) / 1024 * 10) / 10;
  return `RSS ${kb('VmRSS')} (anon ${kb('RssAnon')}, file ${kb('RssFile')}; ${regions(pid)})`;
}

/** utime + stime, in clock ticks (100 a second). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Anonymous RSS by kind of mapping: malloc's main heap, V8's 256 KiB pages, other anonymous mappings (thread arenas, large objects, stacks). */
function regions(pid: number): string {
  const sums: Record<string, number> = {};
  let name = '';
  let size = 0;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1]!;
    else if (line.startsWith('Size:')) size = Number(/\d+/.exec(line)![0]);
    else if (line.startsWith('Rss:')) {
      const rss = Number(/\d+/.exec(line)![0]);
      const kind = name === '' ? (size === 256 ? 'v8pages' : 'anon') : name.startsWith('[') ? name : name.split('/').pop()!;
      sums[kind] = (sums[kind] ?? 0) + rss;
    }
  }
  return Object.entries(sums).filter(([, v]) => v > 500).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)}`).join(', ');
}

/** The functions V8 marked for optimization, as `--trace-opt` printed them (nothing without the flag). */
function optimizedSoFar(output: string): string {
  const marked = [...output.matchAll(/\[marking \S+ <JSFunction (?:(\S+) )?\(sfi[^\]]*reason: ([^\]]*)\]/g)].map((m) => `${m[1] ?? '(anonymous)'} (${m[2]})`);
  return marked.length > 0 ? ` optimized at idle: ${marked.join(', ')}` : '';
}

/** The live heap after a collection, from test/bench/heapProbe.mjs when the command preloads it ('' without). */
async function heapAfterGc(pid: number, command: string[]): Promise<string> {
  if (!command.some((arg) => arg.endsWith('heapProbe.mjs'))) return '';
  const path = join(tmpdir(), `procdeck-heap-${pid}.json`);
  rmSync(path, { force: true });
  process.kill(pid, 'SIGUSR2');
  await waitFor(() => existsSync(path), () => `the heap figures of ${pid}`, 30_000);
  const heap = JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
  rmSync(path, { force: true });
  const mb = (bytes: number) => (bytes / 1048576).toFixed(2);
  return `; heap after gc ${mb(heap.heapUsed!)} MiB (external ${mb(heap.external!)}, malloced ${mb(heap.malloced!)})`;
}

for (let round = 0; round < rounds; round++) {
  for (const { label, command } of cmds) {
    const peer = new ProcdeckPeer({ label, command });
    // The marker is `sleep`'s argument: a number of seconds no other process here sleeps.
    await peer.launch({ sleepers: { count: jobs, marker: `${100_000 + round}${process.pid % 1000}`, autostart: false } });
    await sleep(settleS * 1000);
    const idle = status(peer.mainPid());
    const optimized = optimizedSoFar(peer.serverOutput());
    const idleHeap = await heapAfterGc(peer.mainPid(), command);
    let busy = '-';
    if (jobs > 0) {
      await peer.startSleepers();
      await sleep((settleS * 1000) / 2);
      const cpuBefore = cpuTicks(peer.mainPid());
      await sleep((settleS * 1000) / 2);
      const cpu = ((cpuTicks(peer.mainPid()) - cpuBefore) / 100 / (settleS / 2)) * 100;
      busy = `${status(peer.mainPid())} cpu ${cpu.toFixed(2)} % over the last ${settleS / 2} s${await heapAfterGc(peer.mainPid(), command)}`;
    }
    console.log(`${label} round ${round}: idle ${idle}${optimized}${idleHeap} | ${jobs} jobs ${busy} | load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    await peer.close();
  }
}
