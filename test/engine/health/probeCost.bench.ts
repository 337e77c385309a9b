// What probing costs the engine: 100 HealthTrackers with 1 s HTTP probes against one local
// server (in its own process, so its CPU is not counted), against a bare loop of the same
// GETs (http.get, agent: false, one per second per loop) as the baseline, and an idle round,
// alternated. CPU is the kernel's count for this process (utime + stime in /proc/self/stat).
// Run: npx tsx test/engine/health/probeCost.bench.ts [rounds] [seconds]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { HealthTracker } from '../../../electron/engine/health/healthTracker';
import { normalizeProbe } from '../../../electron/engine/health/normalizeProbe';
import { waitFor } from '../../support/wait';

const TRACKERS = 100;
const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 10);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function startServer(): Promise<{ url: string; requests: () => number; stop(): void }> {
  const script = `let n=0;const s=require('http').createServer((q,r)=>{n++;r.writeHead(200).end('ok')});s.listen(0,'127.0.0.1',()=>console.log('port',s.address().port));setInterval(()=>console.log('n',n),200);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let said = '';
  let requests = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    said += chunk.toString();
    const counts = [...said.matchAll(/^n (\d+)$/gm)];
    if (counts.length) requests = Number(counts.at(-1)![1]);
    if (said.length > 10_000) said = said.slice(-1_000);
  });
  const port = await waitFor(() => /port (\d+)/.exec(said)?.[1], 'the server to listen');
  return { url: `http://127.0.0.1:${port}/`, requests: () => requests, stop: () => child.kill('SIGKILL') };
}

/** The baseline: the same GETs with nothing around them. */
function rawLoops(url: string): { stop(): void } {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const loop = () => {
    if (stopped) return;
    const started = performance.now();
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (stopped) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          loop();
        }, Math.max(0, 1000 - (performance.now() - started)));
        timers.add(timer);
      });
    });
    req.on('error', () => undefined);
    req.end();
  };
  for (let i = 0; i < TRACKERS; i++) setTimeout(loop, (i * 1000) / TRACKERS);
  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

function trackers(url: string, kind: 'http' | 'tcp' = 'http'): { stop(): Promise<void>; results: () => number } {
  const all: HealthTracker[] = [];
  for (let i = 0; i < TRACKERS; i++) {
    // Spread like the baseline: each tracker's first probe at a different point of the second.
    const timing = { intervalMs: 1000, timeoutMs: 1000, initialDelayMs: (i * 1000) / TRACKERS };
    const input = kind === 'http' ? { kind, url, ...timing } : { kind, target: new URL(url).host, ...timing };
    const tracker = new HealthTracker({ role: 'liveness', probe: normalizeProbe(input, 'liveness') });
    tracker.start();
    all.push(tracker);
  }
  return { stop: async () => void (await Promise.all(all.map((t) => t.dispose()))), results: () => all.reduce((n, t) => n + t.results().length, 0) };
}

async function measure(name: string, run: () => { stop(): unknown }, server: { requests: () => number }): Promise<{ name: string; cpuMs: number; probes: number }> {
  const running = run();
  await new Promise((resolve) => setTimeout(resolve, 1500)); // let it settle into its rhythm
  const cpu0 = cpuMs();
  const req0 = server.requests();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = cpuMs() - cpu0;
  const probes = server.requests() - req0;
  await running.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { name, cpuMs: cpu, probes };
}

const server = await startServer();
const rows: { name: string; cpuMs: number; probes: number }[] = [];
for (let round = 0; round < rounds; round++) {
  rows.push(await measure('idle', () => ({ stop: () => undefined }), server));
  rows.push(await measure('raw http.get loop', () => rawLoops(server.url), server));
  rows.push(await measure('100 HealthTrackers', () => trackers(server.url), server));
  const tcp = await measure('100 tcp trackers', () => trackers(server.url, 'tcp'), server);
  rows.push({ ...tcp, probes: TRACKERS * seconds });
}
server.stop();
const idlePerSecond = rows.filter((r) => r.name === 'idle').reduce((s, r) => s + r.cpuMs, 0) / (rounds * seconds);
for (const row of rows) {
  const net = row.cpuMs - idlePerSecond * seconds;
  console.log(`${row.name.padEnd(20)} cpu ${row.cpuMs.toFixed(0).padStart(5)} ms in ${seconds} s (${((row.cpuMs / (seconds * 1000)) * 100).toFixed(2)} % of a core), probes ${row.probes}${row.probes ? `, ${((net / row.probes) * 1000).toFixed(0)} µs per probe above idle` : ''}`);
}
const per = (name: string) => {
  const chosen = rows.filter((r) => r.name === name);
  const perProbe = chosen.map((r) => (r.cpuMs - idlePerSecond * seconds) / r.probes).sort((a, b) => a - b);
  return perProbe[Math.floor(perProbe.length / 2)]!;
};
console.log(`tcp trackers (connect + close, the floor of any probe over a new connection): ${(per('100 tcp trackers') * 1000).toFixed(0)} µs per probe`);
console.log(`median per probe: trackers ${(per('100 HealthTrackers') * 1000).toFixed(0)} µs, raw ${(per('raw http.get loop') * 1000).toFixed(0)} µs, ratio ${(per('100 HealthTrackers') / per('raw http.get loop')).toFixed(2)}×`);
