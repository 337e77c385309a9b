// What the manager allocates per sampling tick while it supervises 100 `sleep` jobs, and
// where: `npx tsx test/bench/tickAlloc.bench.ts`. The server runs with the inspector on; after
// the settle time, V8's sampling heap profiler is started over the inspector with the objects
// young-generation and full GCs collect kept in the profile (what a tick allocates is
// short-lived: the default profile holds only what is still alive), for the window; the
// report is bytes per tick and the top allocating functions. `--trace-gc` is on as well, and
// the scavenges in the window are counted. The profiler's sampling adds a little work of its
// own: use the figures as shares and a before/after between builds, not as CPU. Not in CI.
//
// TICK_ALLOC_CMD: the server command (default: this checkout's bin with package.json's serve
// flags); TICK_ALLOC_SETTLE_S (30), TICK_ALLOC_WINDOW_S (20), TICK_ALLOC_JOBS (100),
// TICK_ALLOC_TOP (25).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { sleep } from './peers/peer';
import { loadAverage } from './peers/procfs';
import { withSettledSleepers } from './peers/settledSleepers';

const root = resolve(import.meta.dirname, '../..');
const SETTLE_MS = Number(process.env.TICK_ALLOC_SETTLE_S ?? 30) * 1000;
const WINDOW_MS = Number(process.env.TICK_ALLOC_WINDOW_S ?? 20) * 1000;
const JOBS = Number(process.env.TICK_ALLOC_JOBS ?? 100);
const TOP = Number(process.env.TICK_ALLOC_TOP ?? 25);
const SAMPLE_MS = 1000;

const words = (process.env.TICK_ALLOC_CMD ?? `node --max-semi-space-size=1 --expose-gc --v8-pool-size=1 ${root}/electron/bin/procdeck.js serve`).trim().split(/\s+/);
const command = [words[0] === 'node' ? process.execPath : words[0]!, '--inspect=127.0.0.1:0', '--trace-gc', ...words.slice(1)];

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  id: number;
  children: ProfileNode[];
}

/** A minimal Chrome DevTools Protocol client: one request at a time. */
class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
    });
  }
  static async connect(url: string): Promise<Inspector> {
    const socket = new WebSocket(url);
    await new Promise((resolveOpen, reject) => socket.once('open', resolveOpen).once('error', reject));
    return new Inspector(socket);
  }
  call<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolveCall) => {
      this.pending.set(id, resolveCall as (result: unknown) => void);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
  close(): void {
    this.socket.close();
  }
}

const siteOf = ({ functionName, url, lineNumber }: CallFrame): string => `${functionName || '(anonymous)'} ${url.replace(/^file:\/\//, '').replace(root + '/', '')}:${lineNumber + 1}`;

/** Self sizes by function (name, file, line), summed over the whole tree; a builtin (no file) is named with its caller. */
function bySite(node: ProfileNode, caller = '', into = new Map<string, number>()): Map<string, number> {
  const own = siteOf(node.callFrame);
  const site = node.callFrame.url === '' && caller ? `${node.callFrame.functionName || '(anonymous)'} ← ${caller}` : own;
  if (node.selfSize > 0) into.set(site, (into.get(site) ?? 0) + node.selfSize);
  for (const child of node.children) bySite(child, node.callFrame.url === '' ? caller : own, into);
  return into;
}

await withSettledSleepers({ label: 'server', command, count: JOBS, sampleMs: SAMPLE_MS, settleMs: SETTLE_MS }, async (peer) => {
  const base = (peer as unknown as { base: string }).base;
  const url = /ws:\/\/\S+/.exec(readFileSync(join(base, 'server.err'), 'utf8'))?.[0];
  if (!url) throw new Error('no inspector URL on the server stderr');
  const inspector = await Inspector.connect(url);
  await inspector.call('HeapProfiler.enable');
  const outBefore = peer.serverOutput().length;
  await inspector.call('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const started = performance.now();
  await sleep(WINDOW_MS);
  const { profile } = await inspector.call<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
  const ticks = (performance.now() - started) / SAMPLE_MS;
  inspector.close();
  const gcLines = peer.serverOutput().slice(outBefore).split('\n');
  const scavenges = gcLines.filter((line) => line.includes('Scavenge')).length;
  const markCompacts = gcLines.filter((line) => line.includes('Mark-Compact')).length;
  const sites = [...bySite(profile.head)].sort((a, b) => b[1] - a[1]);
  const total = sites.reduce((sum, [, bytes]) => sum + bytes, 0);
  console.log(`tick allocation: ${JOBS} sleep jobs, ${(ticks).toFixed(1)} ticks; load ${loadAverage()}`);
  console.log(`  ${(total / ticks / 1024).toFixed(1)} KiB allocated per tick (sampled), ${(scavenges / ticks).toFixed(3)} scavenges and ${(markCompacts / ticks).toFixed(3)} mark-compacts per tick`);
  for (const line of gcLines.filter((l) => l.includes('Mark-Compact')).slice(0, 3)) console.log(`  ${line.trim()}`);
  for (const [site, bytes] of sites.slice(0, TOP)) console.log(`  ${(bytes / ticks / 1024).toFixed(2).padStart(8)} KiB/tick ${((bytes / total) * 100).toFixed(1).padStart(5)} %  ${site}`);
});
