// The Slurm backend through the engine, each figure against `sbatch` called directly in the
// same run, on the private single-node test cluster (rounds alternate, medians reported):
//   1. submit-to-running latency: engine.jobs.start(where: slurm) until the snapshot says
//      running, vs `sbatch` + `squeue -h -j ID -o %T` every 100 ms until RUNNING
//   2. submit throughput of a 100-item template batch: engine.scheduler.submitBatch (one job
//      array) until every item has its Slurm id, vs 100 `sbatch` calls and one `sbatch --array`
//   3. the cost of watching 100 Slurm jobs at the default intervals (squeue 5 s, sstat 10 s):
//      the engine's CPU (its own and its Slurm clients') and slurmctld's, vs slurmctld holding
//      the same jobs with nobody watching
// Run: npx tsx test/bench/slurmEngine.bench.ts   (root, Slurm installed; BENCH_ROUNDS=3 by default)
import { readFileSync, rmSync } from 'node:fs';
import { execa } from 'execa';
import { Engine } from '../../electron/engine/engine';
import { parseProcStat } from '../../electron/engine/monitor/procStat';
import { clockTicksPerSecond, memoryPageSize } from '../../electron/engine/monitor/systemConstants';
import { tempDir } from '../engine/helpers';
import { LocalSlurm } from '../support/slurm/localSlurm';
import { jobDir } from '../support/slurm/slurmJobs';
import { waitFor } from '../support/wait';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ITEMS = 100;
const WATCH_MS = Number(process.env.BENCH_WATCH_MS ?? 30_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function cpuMsOf(pid: number | 'self'): number {
  const entry = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), memoryPageSize());
  return entry ? (entry.cpuTicks / clockTicksPerSecond()) * 1000 : NaN;
}

/** Procdeck's own CPU and that of the clients it ran and waited for (cutime + cstime). */
function selfWithChildrenMs(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime stime cutime cstime are fields 14-17 (1-based), 12-15 after the comm.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks / clockTicksPerSecond()) * 1000;
}

const cluster = await LocalSlurm.start({ constrain: false, rest: false });
const env = { ...(process.env as Record<string, string>), ...cluster.env };
const sbatch = (args: string[]) => execa('sbatch', ['--parsable', ...args], { env }).then((r) => r.stdout.trim().split(';')[0]!);
const squeueState = (id: string) => execa('squeue', ['-h', '-j', id, '-o', '%T'], { env, reject: false }).then((r) => r.stdout.trim());
const cancelAll = () => execa('scancel', ['--full', '-u', 'root'], { env, reject: false }).then(() => waitFor(async () => (await execa('squeue', ['-h', '-t', 'PENDING,RUNNING,SUSPENDED,COMPLETING', '-o', '%i'], { env })).stdout.trim() === '' || undefined, 'the cluster to be empty', 120_000));

const dataDir = tempDir('procdeck-slurm-bench-');
let engine = Engine.open({ dataDir, settings: { slurmConf: cluster.paths.conf, maxConcurrent: 4 } });
try {
  const dir = jobDir(cluster, 'bench');
  // Let the backend learn the partitions once, as a running Procdeck would have.
  await waitFor(() => engine.backends.describe().find((b) => b.kind === 'slurm')?.available || undefined, 'the Slurm backend to be available', 30_000);

  // 1. submit-to-running latency
  const direct: number[] = [];
  const through: number[] = [];
  for (let round = 0; round < ROUNDS * 2; round++) {
    const t0 = performance.now();
    if (round % 2 === 0) {
      const id = await sbatch(['--chdir', dir, '--output', '/dev/null', '--wrap', 'exec sleep 600']);
      await waitFor(async () => (await squeueState(id)) === 'RUNNING' || undefined, 'RUNNING', 60_000);
      direct.push(performance.now() - t0);
    } else {
      const job = engine.jobs.start({ cwd: dir, command: { kind: 'shell', script: 'exec sleep 600' }, where: { kind: 'slurm' } });
      await waitFor(() => engine.jobs.get(job.id).state === 'running' || undefined, 'running', 60_000);
      through.push(performance.now() - t0);
    }
    await cancelAll();
  }
  console.log(`1. submit-to-running latency (median of ${ROUNDS}): sbatch + squeue every 100 ms ${fmt(median(direct), 0)} ms, Procdeck ${fmt(median(through), 0)} ms (${fmt(median(through) / median(direct), 2)}x)`);

  // 2. submit throughput, a 100-item template batch
  const singles: number[] = [];
  const arrays: number[] = [];
  const batches: number[] = [];
  const inputs = Array.from({ length: ITEMS }, (_, i) => String(i)).join('\n');
  for (let round = 0; round < ROUNDS; round++) {
    let t0 = performance.now();
    for (let i = 0; i < ITEMS; i++) await sbatch(['--hold', '--chdir', dir, '--output', '/dev/null', '--wrap', `echo ${i}`]);
    singles.push(performance.now() - t0);
    await cancelAll();
    t0 = performance.now();
    await sbatch(['--hold', '--chdir', dir, '--output', '/dev/null', `--array=0-${ITEMS - 1}`, '--wrap', 'echo $SLURM_ARRAY_TASK_ID']);
    arrays.push(performance.now() - t0);
    await cancelAll();
    t0 = performance.now();
    const batch = await engine.scheduler.submitBatch({ template: 'sleep 600; echo {}', inputs, cwd: dir, where: { kind: 'slurm' } });
    await waitFor(() => batch.jobIds.every((id) => engine.jobs.get(id).slurm?.jobId !== undefined) || undefined, 'every item to have its Slurm id', 120_000);
    batches.push(performance.now() - t0);
    await cancelAll();
    await waitFor(() => batch.jobIds.every((id) => engine.jobs.get(id).state === 'killed') || undefined, 'every item to have ended', 120_000);
  }
  const perSecond = (ms: number) => fmt((ITEMS / ms) * 1000, 0);
  console.log(
    `2. ${ITEMS}-item batch, submit time (median of ${ROUNDS}): 100 x sbatch ${fmt(median(singles), 0)} ms (${perSecond(median(singles))} jobs/s), ` +
      `one sbatch --array ${fmt(median(arrays), 0)} ms (${perSecond(median(arrays))} jobs/s), Procdeck batch ${fmt(median(batches), 0)} ms (${perSecond(median(batches))} jobs/s; ` +
      `${fmt(median(singles) / median(batches), 1)}x faster than 100 sbatch, ${fmt(median(batches) / median(arrays), 1)}x the time of the bare array call)`,
  );

  // 3. the cost of watching 100 jobs (2 run, 98 pending on this 2-CPU node), default intervals,
  // against the same engine with no Slurm job (its own tick: this machine's /proc scan).
  const ctld = cluster.daemonPid('slurmctld')!;
  const measure = async () => {
    const [self0, ctld0, t0] = [selfWithChildrenMs(), cpuMsOf(ctld), performance.now()];
    await new Promise((r) => setTimeout(r, WATCH_MS));
    return { self: selfWithChildrenMs() - self0, ctld: cpuMsOf(ctld) - ctld0, wall: performance.now() - t0 };
  };
  const engineIdle = await measure();
  const watched = await engine.scheduler.submitBatch({ template: 'sleep 3600; echo {}', inputs, cwd: dir, where: { kind: 'slurm' } });
  await waitFor(() => watched.jobIds.every((id) => engine.jobs.get(id).slurm?.jobId !== undefined) || undefined, 'the 100 watched jobs to be submitted', 120_000);
  const watching = await measure();
  await engine.shutdown(); // detaches: the jobs stay in the cluster
  const nobody = await measure();
  const pct = (m: { self?: number; ctld?: number; wall: number }, key: 'self' | 'ctld') => fmt((m[key]! / m.wall) * 100, 2);
  console.log(
    `3. watching ${ITEMS} Slurm jobs for ${WATCH_MS / 1000} s (squeue every 5 s, sstat every 10 s): Procdeck + its Slurm clients ${pct(watching, 'self')} % of a core ` +
      `(the same engine without Slurm jobs: ${pct(engineIdle, 'self')} %, no engine: ${pct(nobody, 'self')} %); ` +
      `slurmctld ${pct(watching, 'ctld')} % (nobody watching, same 100 jobs held: ${pct(nobody, 'ctld')} %)`,
  );
  // Found again by a new engine, then ended: nothing is left in the cluster.
  engine = Engine.open({ dataDir, settings: { slurmConf: cluster.paths.conf } });
  await waitFor(() => watched.jobIds.every((id) => engine.jobs.get(id).slurm?.jobId !== undefined) || undefined, 'the restarted engine to find the 100 jobs again', 60_000);
  await cancelAll();
  await waitFor(() => watched.jobIds.every((id) => engine.jobs.get(id).state === 'killed') || undefined, 'the 100 jobs to end', 120_000);
} finally {
  await engine.shutdown();
  await cancelAll().catch(() => undefined);
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
