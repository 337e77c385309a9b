// The measurements, the same for every manager: each launches the peer, drives it through
// its API and reads the answer off /proc, then closes it (its jobs and files with it).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuTimeOf, inProc, managerProcesses, MarkedProcesses, memoryOf, resetPeakRss, statOf, type Memory } from './procfs';
import { sleep, type LaunchPlan, type Peer } from './peer';

const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;
/** Quiet time after a launch or a change before anything is measured (JIT, first ticks, GC). */
export const SETTLE_MS = seconds('BENCH_PEERS_SETTLE_S', 5);
/** The CPU window: at 0.05 % of a core, 30 s is 15 ms of CPU. */
export const WINDOW_MS = seconds('BENCH_PEERS_WINDOW_S', 30);
export const SLEEPERS = Number(process.env.BENCH_PEERS_JOBS ?? 100);
export const LOG_BYTES = Number(process.env.BENCH_PEERS_LOG_BYTES ?? 1024 ** 3);
/** A flood slower than 2 MiB/s is broken, not slow. */
const FLOOD_LIMIT_MS = 60_000 + LOG_BYTES / 2 / 1024;

let markerCount = 0;
/** A `sleep` duration no other process on the machine has: it marks one step's jobs in /proc. */
export const newMarker = () => String(86_400_000 + ((process.pid * 1000 + markerCount++) % 10_000_000));

/** Polls every 10 ms (a /proc scan costs ~1 ms here) until `done`; resolves with the ms it took from `since`. */
async function msUntil(done: () => boolean | Promise<boolean>, since: number, what: string | (() => string), timeoutMs = 120_000): Promise<number> {
  for (;;) {
    if (await done()) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(10);
  }
}

/** % of one core the manager's own processes (jobs excluded) used over `windowMs`. */
export interface CpuShare {
  sched: number;
  stat: number;
}

async function managerCpu(peer: Peer, markers: string[], windowMs = WINDOW_MS): Promise<CpuShare> {
  const pids = managerProcesses(peer.treeRoots(), markers).map((e) => e.pid);
  const before = cpuTimeOf(pids);
  const started = performance.now();
  await sleep(windowMs);
  const after = cpuTimeOf(pids);
  const wall = performance.now() - started;
  return { sched: ((after.schedMs - before.schedMs) / wall) * 100, stat: ((after.statMs - before.statMs) / wall) * 100 };
}

const treeRss = (peer: Peer, markers: string[]) => managerProcesses(peer.treeRoots(), markers).reduce(
  (sum, e) => {
    const memory = memoryOf(e.pid);
    return { rss: sum.rss + (memory?.rss ?? 0), pss: sum.pss + (memory?.pss ?? 0), names: [...sum.names, e.comm] };
  },
  { rss: 0, pss: 0, names: [] as string[] },
);

export interface MainFigures {
  idleMemory: Memory;
  /** Every process of the manager's tree, jobs excluded: RSS sum (shared pages counted in each), PSS sum. */
  idleTree: { rss: number; pss: number; names: string[] };
  /** Idle in the manager's first minute: a JIT-compiled manager is still compiling and collecting start-up garbage. */
  idleCpuFirstMinute: CpuShare;
  startMs: number;
  /** When the manager's API answered the start (it may answer before or after /proc shows them all). */
  startAnsweredMs: number;
  jobsMemory: Memory;
  jobsCpu: CpuShare;
  stopMs: number;
  stopAnsweredMs: number;
  /** Idle once the jobs have ended (they stay in its list): the state an operator's manager spends its days in. */
  idleCpu: CpuShare;
  /** Procdeck only: the same, with no client connected. */
  idleCpuNoUi?: CpuShare;
}

/** Idle, then 100 `sleep` jobs started, supervised, stopped, then idle again: the first six rows. */
export async function mainSequence(peer: Peer, options: { detachUi?: () => void } = {}): Promise<MainFigures> {
  const marker = newMarker();
  const plan: LaunchPlan = { sleepers: { count: SLEEPERS, marker, autostart: false } };
  const jobs = new MarkedProcesses(marker);
  await peer.launch(plan);
  try {
    await sleep(SETTLE_MS);
    const idleMemory = memoryOf(peer.mainPid())!;
    const idleTree = treeRss(peer, [marker]);
    const idleCpuFirstMinute = await managerCpu(peer, [marker]);

    let started = performance.now();
    let answered = peer.startSleepers().then(() => performance.now() - started);
    const startMs = await msUntil(() => jobs.scan().length >= SLEEPERS, started, `${SLEEPERS} jobs running`);
    const startAnsweredMs = await answered;

    await sleep(SETTLE_MS);
    const jobsMemory = memoryOf(peer.mainPid())!;
    const jobsCpu = await managerCpu(peer, [marker]);

    const pids = jobs.scan();
    started = performance.now();
    answered = peer.stopAll().then(() => performance.now() - started);
    const stopMs = await msUntil(() => !pids.some(inProc), started, `${pids.length} jobs gone from /proc`);
    const stopAnsweredMs = await answered;

    await sleep(SETTLE_MS);
    const idleCpu = await managerCpu(peer, [marker]);
    let idleCpuNoUi: CpuShare | undefined;
    if (options.detachUi) {
      options.detachUi();
      await sleep(1000);
      idleCpuNoUi = await managerCpu(peer, [marker]);
    }
    return { idleMemory, idleTree, idleCpuFirstMinute, startMs, startAnsweredMs, jobsMemory, jobsCpu, stopMs, stopAnsweredMs, idleCpu, idleCpuNoUi };
  } finally {
    await peer.close();
  }
}

/** The RSS of everything the launch command leaves running while idle (npm, sh, tsx, server…). */
export async function launchChain(peer: Peer): Promise<{ rss: number; pss: number; names: string[] }> {
  await peer.launch({});
  try {
    await sleep(SETTLE_MS);
    return treeRss(peer, []);
  } finally {
    await peer.close();
  }
}

/** A job printing LOG_BYTES of lines; `yes` writes 8 KiB at a time, as most line-oriented programs' stdio does. */
export const floodScript = (marker: string, out = '') =>
  `: ${marker}; yes 'procdeck peer bench: a log line of about eighty characters, 0123456789 abcdefghij' | head -c ${LOG_BYTES}${out}`;

export interface LogFigures {
  ms: number;
  /** The manager's peak RSS during the flood (VmHWM, reset before it) and its RSS before. */
  peakRss: number;
  rssBefore: number;
  bytesOnDisk: number;
  /** CPU time the manager's own processes (the flood job excluded) used from the flood's start to its end. */
  managerCpuMs: number;
}

/**
 * 1 GiB of lines through the manager into its log file. Done when the manager says the job
 * ended and, without rotation, when every byte is in the file; with rotation on the kept
 * files hold only the last part, so their size says nothing about the end.
 */
export async function logFlood(peer: Peer, rotationOff: boolean): Promise<LogFigures> {
  const marker = newMarker();
  const producer = new MarkedProcesses(marker);
  await peer.launch({ logJob: { script: floodScript(marker), marker } });
  try {
    await sleep(SETTLE_MS);
    resetPeakRss(peer.mainPid());
    const rssBefore = memoryOf(peer.mainPid())!.rss;
    const manager = managerProcesses(peer.treeRoots(), [marker]).map((e) => e.pid);
    const cpuBefore = cpuTimeOf(manager);
    const started = performance.now();
    await peer.startLogJob();
    const state = { onDisk: 0, producers: 0, ended: false };
    const ms = await msUntil(
      async () => {
        state.onDisk = peer.logBytesOnDisk();
        state.producers = producer.scan(true).length;
        state.ended = await peer.logJobEnded();
        return (!rotationOff || state.onDisk >= LOG_BYTES) && state.producers === 0 && state.ended;
      },
      started,
      () => `${peer.label}: the flood job to end with its output on disk (now ${state.onDisk} bytes on disk, ${state.producers} producer processes, ended: ${state.ended})`,
      FLOOD_LIMIT_MS,
    );
    const managerCpuMs = cpuTimeOf(manager).schedMs - cpuBefore.schedMs;
    return { ms, peakRss: memoryOf(peer.mainPid())!.peak, rssBefore, bytesOnDisk: peer.logBytesOnDisk(), managerCpuMs };
  } finally {
    await peer.close();
  }
}

/** The baseline: the same job with its stdout redirected to a file by the shell. */
export async function rawRedirect(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'peers-raw-'));
  const file = join(dir, 'out.log');
  try {
    const started = performance.now();
    const child = spawn('sh', ['-c', floodScript(newMarker(), ` > ${file}`)], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    const ms = performance.now() - started;
    if (statSync(file).size !== LOG_BYTES) throw new Error(`the raw redirect wrote ${statSync(file).size} bytes`);
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CrashFigures {
  jobs: number;
  /** Job processes still alive once the manager was dead (and reaped), before it was started again. */
  orphansAfterCrash: number;
  /** Old job processes still alive once the restarted manager had settled. */
  orphansAfterRestart: number;
  /** Job processes the restarted manager started. */
  startedByRestart: number;
  /** When old jobs outlived the restart: what the manager said. */
  diagnostics?: string;
}

/** SIGKILL to the manager with `count` running jobs; then the operator starts it again. */
export async function crashTest(peer: Peer & { saveState?: () => Promise<void> }, count = 30): Promise<CrashFigures> {
  const marker = newMarker();
  // Before the launch: supervisord starts its autostart jobs while it starts.
  const jobs = new MarkedProcesses(marker);
  await peer.launch({ sleepers: { count, marker, autostart: true } });
  try {
    await peer.startSleepers();
    await msUntil(() => jobs.scan().length >= count, performance.now(), `${count} jobs running`);
    await peer.saveState?.();
    const old = new Set(jobs.scan());
    const manager = peer.mainPid();
    peer.crash();
    await msUntil(() => statOf(manager) === undefined || statOf(manager)!.state === 'Z', performance.now(), 'the manager to die');
    await sleep(2000);
    const alive = () => jobs.scan().filter((pid) => old.has(pid));
    const orphansAfterCrash = alive().length;
    await peer.relaunch();
    // Settled: the set of job processes has not changed for 5 s.
    let last = '';
    let stableSince = performance.now();
    await msUntil(
      () => {
        const now = jobs.scan().sort().join(',');
        if (now !== last) [last, stableSince] = [now, performance.now()];
        return performance.now() - stableSince > 5000;
      },
      performance.now(),
      'the restarted manager to settle',
    );
    const orphansAfterRestart = alive().length;
    return {
      jobs: count,
      orphansAfterCrash,
      orphansAfterRestart,
      startedByRestart: jobs.scan().filter((pid) => !old.has(pid)).length,
      diagnostics: orphansAfterRestart > 0 ? peer.diagnostics?.() : undefined,
    };
  } finally {
    await peer.close();
  }
}

export interface TreeStopFigures {
  /** Until every shell and its sleep were gone from /proc; undefined when some were still there after TREE_STOP_LIMIT_MS. */
  ms?: number;
  leftover: number;
}

const TREE_STOP_LIMIT_MS = 15_000;

/** Stop jobs that are two processes (a shell and its child): does the stop reach the child? */
export async function treeStop(peer: Peer, count = 20): Promise<TreeStopFigures> {
  const marker = newMarker();
  const jobs = new MarkedProcesses(marker);
  await peer.launch({ sleepers: { count, marker, autostart: false, wrapped: true } });
  try {
    await peer.startSleepers();
    await msUntil(() => jobs.scan().length >= 2 * count, performance.now(), `${count} shells and their sleeps running`);
    const pids = jobs.scan();
    const started = performance.now();
    await peer.stopAll();
    const ms = await msUntil(() => !pids.some(inProc), started, 'every job process gone', TREE_STOP_LIMIT_MS).catch(() => undefined);
    return { ms, leftover: pids.filter(inProc).length };
  } finally {
    await peer.close();
  }
}
