// Where the manager's CPU goes per sampling tick while it supervises 100 `sleep` jobs:
// `npx tsx test/bench/tickProfile.bench.ts`. After the settle time, either V8's CPU profiler
// runs over the inspector for the window (self time by function, top TICK_PROF_TOP), or with
// TICK_PROF_STRACE=1 `strace -c -f` is attached to the server for the window instead (syscalls
// per tick, by name; the inspector is then off). The profiler and strace slow the server:
// use the figures as shares and a before/after between builds. Not in CI.
//
// TICK_PROF_CMD: the server command (default: this checkout's bin with package.json's serve
// flags); TICK_PROF_SETTLE_S (40), TICK_PROF_WINDOW_S (20), TICK_PROF_JOBS (100), TICK_PROF_TOP (30).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { sleep } from './peers/peer';
import { loadAverage, managerProcesses } from './peers/procfs';
import { withSettledSleepers } from './peers/settledSleepers';

const root = resolve(import.meta.dirname, '../..');
const SETTLE_MS = Number(process.env.TICK_PROF_SETTLE_S ?? 40) * 1000;
const WINDOW_MS = Number(process.env.TICK_PROF_WINDOW_S ?? 20) * 1000;
const JOBS = Number(process.env.TICK_PROF_JOBS ?? 100);
const TOP = Number(process.env.TICK_PROF_TOP ?? 30);
const STRACE = process.env.TICK_PROF_STRACE === '1';
const SAMPLE_MS = 1000;

const words = (process.env.TICK_PROF_CMD ?? `node --max-semi-space-size=1 --expose-gc --v8-pool-size=1 ${root}/electron/bin/procdeck.js serve`).trim().split(/\s+/);
const command = [words[0] === 'node' ? process.execPath : words[0]!, ...(STRACE ? [] : ['--inspect=127.0.0.1:0']), ...words.slice(1)];

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A minimal Chrome DevTools Protocol client: one request at a time. */
async function inspectorCall<T>(url: string, calls: (call: (method: string, params?: object) => Promise<unknown>) => Promise<T>): Promise<T> {
  const socket = new WebSocket(url);
  await new Promise((resolveOpen, reject) => socket.once('open', resolveOpen).once('error', reject));
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const call = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolveCall) => {
      const id = nextId++;
      pending.set(id, resolveCall);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    return await calls(call);
  } finally {
    socket.close();
  }
}

const siteOf = ({ functionName, url, lineNumber }: CallFrame): string => `${functionName || '(anonymous)'} ${url.replace(/^file:\/\//, '').replace(root + '/', '')}:${lineNumber + 1}`;

await withSettledSleepers({ label: 'server', command, count: JOBS, sampleMs: SAMPLE_MS, settleMs: SETTLE_MS }, async (peer, marker) => {
  if (STRACE) {
    const pids = managerProcesses(peer.treeRoots(), [marker]).map((e) => e.pid);
    const tracer = spawn('strace', ['-c', '-f', ...pids.flatMap((pid) => ['-p', String(pid)])], { stdio: ['ignore', 'ignore', 'pipe'] });
    let report = '';
    tracer.stderr.on('data', (chunk: Buffer) => (report += chunk.toString()));
    await sleep(WINDOW_MS);
    tracer.kill('SIGINT');
    await new Promise((done) => tracer.once('exit', done));
    const ticks = WINDOW_MS / SAMPLE_MS;
    console.log(`tick syscalls: ${JOBS} sleep jobs, ${ticks} ticks, pids ${pids.join(' ')}; load ${loadAverage()}`);
    for (const line of report.split('\n')) {
      const fields = line.trim().split(/\s+/);
      const calls = Number(fields[3]);
      if (fields.length >= 5 && Number.isFinite(calls) && calls > 0) console.log(`  ${(calls / ticks).toFixed(1).padStart(8)} per tick  ${fields[fields.length - 1]}`);
    }
    return;
  }
  const base = (peer as unknown as { base: string }).base;
  const url = /ws:\/\/\S+/.exec(readFileSync(join(base, 'server.err'), 'utf8'))?.[0];
  if (!url) throw new Error('no inspector URL on the server stderr');
  const profile = await inspectorCall(url, async (call) => {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: 200 });
    await call('Profiler.start');
    await sleep(WINDOW_MS);
    return ((await call('Profiler.stop')) as { profile: Profile }).profile;
  });
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!;
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += us;
    const site = siteOf(node.callFrame);
    self.set(site, (self.get(site) ?? 0) + us);
  }
  const ticks = WINDOW_MS / SAMPLE_MS;
  console.log(`tick profile: ${JOBS} sleep jobs, ${ticks} ticks; load ${loadAverage()}; ${(busy / ticks / 1000).toFixed(2)} ms sampled busy per tick`);
  for (const [site, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${(us / ticks / 1000).toFixed(3).padStart(7)} ms/tick ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${site}`);
});
