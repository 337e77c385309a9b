// One round of test/bench/spawner.bench.ts, in a fresh plain node (the engine's flags), so the
// forking process is the engine's size and not the bench's (tsx, 140–210 MiB: see README).
// argv: mode ('direct' | 'spawner'), jobs, concurrency, sleeps, work ms a short job. Prints one JSON line.
// The process holds a ~60 MiB heap and writes into part of it between spawns, like the
// engine's thread does (its heap, scavenged often with --max-semi-space-size=1): after every
// fork each page it writes takes a copy-on-write fault, which is the cost being measured.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [mode, jobsArg, concurrencyArg, sleepsArg] = process.argv.slice(2);
const JOBS = Number(jobsArg);
const CONCURRENCY = Number(concurrencyArg);
const SLEEPS = Number(sleepsArg);
// The engine's own work a job besides the spawn (request, events, registry, the run's end):
// ~2 ms of its thread a job in the profiles (README), spent here as allocation and writes.
const WORK_MS = Number(process.argv[6] ?? 0);

// ~60 MiB of live objects, strings and arrays, like a loaded engine's heap.
const held = [];
for (let i = 0; i < 130_000; i++) held.push({ id: i, name: `job-${i}`, tags: [i, i + 1, i + 2], state: 'queued', at: Date.now() });
let cursor = 0;
/** What the engine's thread does between spawns: writes into a spread of its heap (and allocates). */
function touchHeap() {
  for (let i = 0; i < 3000; i++) {
    const item = held[(cursor += 97) % held.length];
    item.at = cursor;
    item.state = item.state === 'queued' ? 'running' : 'queued';
  }
  return new Array(200).fill(0).map((_, i) => ({ i }));
}
function engineWork() {
  const until = performance.now() + WORK_MS;
  let junk = 0;
  while (performance.now() < until) junk += touchHeap().length;
  return junk;
}

function minorFaults() {
  return Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[7]);
}

/** A spawner: a small plain node that spawns on request and reports pid and end over the IPC channel (JSON). */
const SPAWNER = `
const { spawn } = require('node:child_process');
process.on('message', (m) => {
  if (m.cpu) { const u = process.cpuUsage(); process.send({ cpu: (u.user + u.system) / 1000 }); return; }
  let child;
  try { child = spawn(m.file, m.args, { detached: true, stdio: 'ignore' }); }
  catch (e) { process.send({ id: m.id, error: String(e) }); return; }
  child.once('spawn', () => process.send({ id: m.id, pid: child.pid }));
  child.once('error', (e) => process.send({ id: m.id, error: String(e) }));
  child.once('exit', (code, signal) => process.send({ id: m.id, code, signal }));
});
process.on('disconnect', () => process.exit(0));
`;

function directLauncher() {
  return {
    launch(file, args, onPid, onExit) {
      const child = spawn(file, args, { detached: true, stdio: 'ignore' });
      onPid(child.pid);
      child.once('exit', (code, signal) => onExit(code, signal));
    },
    async spawnerCpuMs() { return 0; },
    close() {},
  };
}

async function spawnerLauncher() {
  const server = spawn(process.execPath, ['-e', SPAWNER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve) => server.once('spawn', resolve));
  const waiting = new Map();
  let nextId = 0;
  let cpuReply;
  server.on('message', (m) => {
    if (m.cpu !== undefined) { cpuReply(m.cpu); return; }
    const job = waiting.get(m.id);
    if (m.pid !== undefined) job.onPid(m.pid);
    else { waiting.delete(m.id); job.onExit(m.code ?? null, m.signal ?? null); }
  });
  return {
    launch(file, args, onPid, onExit) {
      const id = nextId++;
      waiting.set(id, { onPid, onExit });
      server.send({ id, file, args });
    },
    spawnerCpuMs() { return new Promise((resolve) => { cpuReply = resolve; server.send({ cpu: true }); }); },
    close() { server.disconnect(); },
  };
}

function shortJobs(launcher) {
  return new Promise((resolve) => {
    let launched = 0;
    let done = 0;
    const next = () => {
      if (launched >= JOBS) return;
      launched++;
      touchHeap();
      launcher.launch('/bin/true', [], () => touchHeap(), () => {
        engineWork();
        if (++done === JOBS) resolve();
        else next();
      });
    };
    for (let i = 0; i < CONCURRENCY; i++) next();
  });
}

/** 100 `sleep 1000`: time until every pid is known, then time from the kills until every exit. */
async function sleeps(launcher) {
  const pids = [];
  const exits = [];
  const started = performance.now();
  await new Promise((resolve) => {
    for (let i = 0; i < SLEEPS; i++) {
      touchHeap();
      exits.push(new Promise((ended) => launcher.launch('/bin/sleep', ['1000'], (pid) => { pids.push(pid); touchHeap(); if (pids.length === SLEEPS) resolve(); }, ended)));
    }
  });
  const startMs = performance.now() - started;
  const stopping = performance.now();
  for (const pid of pids) process.kill(-pid, 'SIGTERM');
  await Promise.all(exits);
  return { startMs, stopMs: performance.now() - stopping };
}

const launcher = mode === 'spawner' ? await spawnerLauncher() : directLauncher();
const spawnerCpuBefore = await launcher.spawnerCpuMs();
const cpu = process.cpuUsage();
const faults = minorFaults();
const started = performance.now();
await shortJobs(launcher);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const faultsPerJob = (minorFaults() - faults) / JOBS;
const spawnerCpuMs = (await launcher.spawnerCpuMs()) - spawnerCpuBefore;
const sleepCpu = process.cpuUsage();
const sleep = await sleeps(launcher);
const sleepUsed = process.cpuUsage(sleepCpu);
launcher.close();
const rssMiB = process.memoryUsage().rss / 2 ** 20;
process.stdout.write(`${JSON.stringify({
  mode,
  jobsPerS: (JOBS / ms) * 1000,
  parentCpuMsPerJob: (used.user + used.system) / 1000 / JOBS,
  spawnerCpuMsPerJob: spawnerCpuMs / JOBS,
  faultsPerJob,
  startMs: sleep.startMs,
  stopMs: sleep.stopMs,
  sleepParentCpuMs: (sleepUsed.user + sleepUsed.system) / 1000,
  rssMiB,
})}\n`);
process.exit(0);
