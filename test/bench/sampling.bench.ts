/**
 * Sampling cost per tick: the one-scan /proc sampler against pidusage on the same pids.
 * Run on demand: npx tsx test/bench/sampling.bench.ts
 *
 * Scenario 1: 100 jobs of one idle process each (100 pids).
 * Scenario 2: 100 jobs of ten idle processes each (an sh with nine sleeps: 1000 pids).
 * Then the monitoring bench (monitoring.bench.ts): the full Monitoring tick and the whole engine at 1 Hz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import pidusage from 'pidusage';
import { createPidusageSampler } from '../../electron/engine/monitor/pidusageSampler';
import { createProcfsSampler } from './baselines/procfsSampler';
import { readProcTable } from '../../electron/engine/monitor/procTable';
import type { TreeSampler } from '../../electron/engine/monitor/sampler';
import { runMonitoringBench } from './monitoring.bench';

const TICKS = 20;
const WARMUP = 3;
const JOBS = 100;

interface Cost {
  /** Median wall time of one tick, ms. */
  wall: number;
  /** Median CPU time (user + system, all threads of this process) of one tick, ms. */
  cpu: number;
}

interface ScenarioResult {
  jobs: number;
  jobPids: number;
  systemPids: number;
  procfs: Cost;
  pidusageSampler: Cost & { psChildCpu: number };
  pidusageRaw: Cost;
}

const groups: ChildProcess[] = [];

function startGroup(file: string, args: string[]): number {
  const child = spawn(file, args, { detached: true, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  groups.push(child);
  return child.pid;
}

function killGroups(): void {
  for (const child of groups.splice(0)) {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function measure(tick: () => Promise<unknown>): Promise<Cost> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < WARMUP + TICKS; i++) {
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await tick();
    const wall = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    if (i >= WARMUP) {
      walls.push(wall);
      cpus.push((cpu.user + cpu.system) / 1000);
    }
    await sleep(20);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

/** CPU of reaped children (the `ps` runs), ms, from this process's cutime + cstime. */
function reapedChildrenCpuMs(): number {
  const self = readProcTable().processes.get(process.pid);
  return self ? (self.childCpuTicks * 1000) / readProcTable().clockTicks : 0;
}

async function waitForPids(roots: Map<string, number>, expected: number): Promise<void> {
  const sampler = createProcfsSampler();
  for (let i = 0; i < 500; i++) {
    const usage = await sampler.sample(roots);
    let total = 0;
    for (const tree of usage.values()) total += tree.pids.length;
    if (total >= expected) return;
    await sleep(50);
  }
  throw new Error(`expected ${expected} processes in the job trees`);
}

async function runScenario(roots: Map<string, number>, expectedPids: number): Promise<ScenarioResult> {
  await waitForPids(roots, expectedPids);
  const procfs = createProcfsSampler();
  const fallback: TreeSampler = createPidusageSampler();

  const procfsCost = await measure(() => procfs.sample(roots));
  const treePids = [...(await procfs.sample(roots)).values()].flatMap((tree) => tree.pids);

  const childCpuBefore = reapedChildrenCpuMs();
  const samplerCost = await measure(() => fallback.sample(roots));
  const psChildCpu = (reapedChildrenCpuMs() - childCpuBefore) / (WARMUP + TICKS);

  const rawCost = await measure(() => pidusage([...treePids]));

  procfs.dispose();
  fallback.dispose();
  return {
    jobs: roots.size,
    jobPids: treePids.length,
    systemPids: readProcTable().processes.size,
    procfs: procfsCost,
    pidusageSampler: { ...samplerCost, psChildCpu },
    pidusageRaw: rawCost,
  };
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;

function print(name: string, r: ScenarioResult): void {
  console.log(`\n${name}: ${r.jobs} jobs, ${r.jobPids} pids in the job trees, ${r.systemPids} processes on the system`);
  console.log('                                  wall/tick     CPU/tick');
  console.log(`  procfs sampler (one /proc scan) ${fmt(r.procfs.wall)}  ${fmt(r.procfs.cpu)}`);
  console.log(`  pidusage on the same pids        ${fmt(r.pidusageRaw.wall)}  ${fmt(r.pidusageRaw.cpu)}`);
  console.log(
    `  pidusage sampler (ps + pidusage) ${fmt(r.pidusageSampler.wall)}  ${fmt(r.pidusageSampler.cpu)}` +
      `  (+${r.pidusageSampler.psChildCpu.toFixed(2)} ms CPU in the ps child)`,
  );
  console.log(
    `  pidusage ÷ procfs (>1: procfs cheaper): wall ${ratio(r.pidusageRaw.wall, r.procfs.wall)}, CPU ${ratio(r.pidusageRaw.cpu, r.procfs.cpu)}` +
      ` (tree sampler: wall ${ratio(r.pidusageSampler.wall, r.procfs.wall)},` +
      ` CPU ${ratio(r.pidusageSampler.cpu + r.pidusageSampler.psChildCpu, r.procfs.cpu)})`,
  );
  console.log(
    `  monitoring ${r.jobs} jobs at 1 Hz: procfs ${(r.procfs.cpu / 10).toFixed(2)} % of one core,` +
      ` pidusage ${(r.pidusageRaw.cpu / 10).toFixed(2)} %`,
  );
}

export async function runSamplingBench(): Promise<ScenarioResult[]> {
  try {
    const single = new Map<string, number>();
    for (let i = 0; i < JOBS; i++) single.set(`single-${i}`, startGroup('sleep', ['300']));
    const small = await runScenario(single, JOBS);
    print('100 processes', small);
    killGroups();

    const trees = new Map<string, number>();
    const script = 'for i in 1 2 3 4 5 6 7 8 9; do sleep 300 & done; wait';
    for (let i = 0; i < JOBS; i++) trees.set(`tree-${i}`, startGroup('sh', ['-c', script]));
    const large = await runScenario(trees, JOBS * 10);
    print('1000 processes', large);

    const ok100 = small.procfs.cpu / 10 <= 1;
    const ok1000 = large.procfs.wall <= 50;
    console.log(`\ntargets: 100 jobs at 1 Hz ≤ 1 % of one core: ${ok100 ? 'met' : 'MISSED'};`, `1000-process tick ≤ 50 ms: ${ok1000 ? 'met' : 'MISSED'}`);
    killGroups();
    await runMonitoringBench();
    return [small, large];
  } finally {
    killGroups();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stop = () => {
    killGroups();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('exit', killGroups);
  await runSamplingBench();
}
