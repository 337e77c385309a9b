// Slurm backend figures on the private single-node test cluster, each against a baseline
// measured in the same run (rounds alternate, medians reported):
//   1. submit-to-running latency: SlurmClient.submit + jobs() vs `sbatch` + `squeue -h -j ID -o %T`
//   2. submit throughput, 100 held jobs, 1 and 4 in flight: SlurmClient.submit vs `sbatch --wrap`
//   3. a 100-item template batch: one job per item vs one job array (submit time, and time to all done)
//   4. the cost of watching 100 jobs: one `squeue --json` per poll (its CPU, the engine's parse,
//      slurmctld's CPU) and sstat per running job, to choose the polling interval
// Run: npx tsx test/bench/slurm.bench.ts   (root, Slurm installed; BENCH_ROUNDS=3 by default)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { batchScript } from '../../electron/engine/backends/slurm/batchScript';
import { SlurmClient } from '../../electron/engine/backends/slurm/slurmClient';
import { SLURM_FINAL_STATES } from '../../electron/engine/backends/slurm/slurmState';
import { literalPattern, resourceArguments, slurmSubmitSchema } from '../../electron/engine/backends/slurm/submitRequest';
import { parseProcStat } from '../../electron/engine/monitor/procStat';
import { clockTicksPerSecond, memoryPageSize } from '../../electron/engine/monitor/systemConstants';
import { expandBatch } from '../../electron/engine/scheduler/batches';
import { LocalSlurm } from '../support/slurm/localSlurm';
import { jobDir } from '../support/slurm/slurmJobs';
import { waitFor } from '../support/wait';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ITEMS = 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function cpuMsOf(pid: number): number {
  const entry = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), memoryPageSize());
  return entry ? (entry.cpuTicks / clockTicksPerSecond()) * 1000 : NaN;
}

async function inPool<T>(count: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

class Bench {
  private readonly env: Record<string, string>;
  readonly client: SlurmClient;

  constructor(readonly cluster: LocalSlurm) {
    this.env = { ...(process.env as Record<string, string>), ...cluster.env };
    this.client = new SlurmClient({ slurmConf: cluster.paths.conf });
  }

  private sbatch(args: string[]): Promise<string> {
    return execa('sbatch', ['--parsable', ...args], { env: this.env }).then((r) => r.stdout.trim().split(';')[0]!);
  }

  async cancelAll(): Promise<void> {
    await execa('scancel', ['--user=root'], { env: this.env, reject: false });
    await waitFor(async () => (await execa('squeue', ['-h', '-o', '%i'], { env: this.env })).stdout.trim() === '', 'the queue to drain', 120_000);
  }

  /** ms from submit to RUNNING (waitFor polls as fast as squeue answers). */
  async latencyClient(dir: string): Promise<number> {
    const started = performance.now();
    const job = await this.client.submit({ command: { kind: 'shell', script: 'exec sleep 300' }, cwd: dir, stdoutPath: join(dir, 'l.out'), stderrPath: join(dir, 'l.err'), memoryBytes: 16 << 20 });
    await waitFor(async () => (await this.client.jobs([job.jobId])).jobs.get(job.jobId)?.view.state === 'running', 'running', 60_000);
    const ms = performance.now() - started;
    await this.cancelAll();
    return ms;
  }

  async latencyDirect(dir: string): Promise<number> {
    const started = performance.now();
    const id = await this.sbatch(['--chdir', dir, '-o', join(dir, 'd.out'), '--mem=16M', '--wrap', 'exec sleep 300']);
    await waitFor(async () => (await execa('squeue', ['-h', '-j', id, '-o', '%T'], { env: this.env })).stdout.trim() === 'RUNNING', 'running', 60_000);
    const ms = performance.now() - started;
    await this.cancelAll();
    return ms;
  }

  /** Jobs per second for ITEMS held submissions (held: they never run, so each round starts from the same queue). */
  async throughput(kind: 'client' | 'direct' | 'same-options', inFlight: number, dir: string): Promise<number> {
    const started = performance.now();
    await inPool(ITEMS, inFlight, async (i) => {
      const spec = { hold: true, command: { kind: 'argv' as const, program: '/bin/true' }, cwd: dir, stdoutPath: join(dir, `${i}.out`), stderrPath: join(dir, `${i}.err`) };
      if (kind === 'client') await this.client.submit(spec);
      else if (kind === 'direct') await this.sbatch(['--hold', '--chdir', dir, '-o', spec.stdoutPath, '-e', spec.stderrPath, '--wrap', '/bin/true']);
      else {
        // What the client sends, sent by hand: the difference to the client is the client's own cost.
        const req = slurmSubmitSchema.parse(spec);
        const args = [...resourceArguments(req, req.name, req.cwd), `--output=${literalPattern(req.stdoutPath)}`, `--error=${literalPattern(req.stderrPath)}`];
        await execa('sbatch', args, { env: this.env, input: batchScript(req) });
      }
    });
    const perSecond = ITEMS / ((performance.now() - started) / 1000);
    await this.cancelAll();
    return perSecond;
  }

  /** A template batch of ITEMS: submit ms, and ms until every item has ended. */
  async templateBatch(kind: 'jobs' | 'array', dir: string): Promise<{ submitMs: number; doneMs: number }> {
    const items = expandBatch({ template: 'echo {}', inputs: Array.from({ length: ITEMS }, (_, i) => `item-${i}`).join('\n') });
    const started = performance.now();
    let ids: string[];
    if (kind === 'array') {
      ids = (await this.client.submitArray({ items, cwd: dir, outputDir: dir, memoryBytes: 16 << 20 })).taskIds;
    } else {
      ids = (await inPool(ITEMS, 4, (i) => this.client.submit({ command: { kind: 'shell', script: items[i]! }, cwd: dir, stdoutPath: join(dir, `${i}.out`), stderrPath: join(dir, `${i}.err`), memoryBytes: 16 << 20 }))).map((j) => j.jobId);
    }
    const submitMs = performance.now() - started;
    await waitFor(async () => {
      const { jobs } = await this.client.jobs(ids);
      return ids.every((id) => SLURM_FINAL_STATES.has(jobs.get(id)?.slurmState ?? ''));
    }, 'every item to end', 600_000);
    return { submitMs, doneMs: performance.now() - started };
  }

  /** CPU ms per run of a shell loop's children (bash's `times`: user + system of its children). */
  private async childCpuPerRun(command: string, runs: number): Promise<{ cpuMs: number; wallMs: number }> {
    const started = performance.now();
    const shell = await execa('bash', ['-c', `for i in $(seq ${runs}); do ${command} > /dev/null; done; times`], { env: this.env });
    const wallMs = (performance.now() - started) / runs;
    const [, children] = shell.stdout.trim().split('\n');
    const [user, system] = (children ?? '').split(/\s+/).map((t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      return m ? Number(m[1]) * 60_000 + Number(m[2]) * 1000 : NaN;
    });
    return { cpuMs: (user! + system!) / runs, wallMs };
  }

  /**
   * Per poll of ITEMS held jobs on a cluster that holds nothing else (squeue --json lists every
   * job slurmctld still has, so it must run first): squeue --json's CPU and wall, the engine's
   * CPU to run and read it, slurmctld's CPU, the JSON's size; and a filtered text squeue of the
   * same jobs as the cheaper baseline.
   */
  async pollCost(dir: string, polls = 40) {
    const ids = (
      await inPool(ITEMS, 4, (i) => this.client.submit({ hold: true, command: { kind: 'argv', program: '/bin/true' }, cwd: dir, stdoutPath: join(dir, `p${i}.out`), stderrPath: join(dir, `p${i}.err`) }))
    ).map((j) => j.jobId);
    const ctld = this.cluster.daemonPid('slurmctld')!;
    const { jobs } = await this.client.jobs();
    const bytes = (await execa('squeue', ['--json'], { env: this.env })).stdout.length;
    let ctld0 = cpuMsOf(ctld);
    const json = await this.childCpuPerRun('squeue --json', polls);
    const jsonCtldMs = (cpuMsOf(ctld) - ctld0) / polls;
    ctld0 = cpuMsOf(ctld);
    const text = await this.childCpuPerRun(`squeue -h -t all -j ${ids.join(',')} -O JobArrayID:30,State:20,Reason:60,exit_code:10,NodeList:60`, polls);
    const textCtldMs = (cpuMsOf(ctld) - ctld0) / polls;
    const cpu = process.cpuUsage();
    for (let i = 0; i < polls; i++) await this.client.jobs(ids);
    const used = process.cpuUsage(cpu);
    await this.cancelAll();
    return { records: jobs.size, bytes, json, jsonCtldMs, text, textCtldMs, engineCpuMs: (used.user + used.system) / 1000 / polls };
  }

  /** sstat -a for the jobs running now (as many 1-CPU busy jobs as the node has CPUs): per call. */
  async sstatCost(dir: string, polls = 20): Promise<{ running: number; wallMs: number; cpuMs: number; ctldCpuMs: number }> {
    const jobs = await inPool(this.cluster.cpus, this.cluster.cpus, (i) =>
      this.client.submit({ command: { kind: 'shell', script: 'while :; do :; done' }, cwd: dir, stdoutPath: join(dir, `s${i}.out`), stderrPath: join(dir, `s${i}.err`), memoryBytes: 16 << 20 }),
    );
    const ids = jobs.map((j) => j.jobId);
    await waitFor(async () => (await this.client.usage(ids)).size === ids.length, 'sstat to see every job', 60_000);
    const ctld = this.cluster.daemonPid('slurmctld')!;
    const ctld0 = cpuMsOf(ctld);
    const cost = await this.childCpuPerRun(`sstat -a -P -n -j ${ids.join(',')} --format=JobID,NTasks,AveCPU,MaxRSS,TRESUsageInTot`, polls);
    const ctldCpuMs = (cpuMsOf(ctld) - ctld0) / polls;
    await this.cancelAll();
    return { running: ids.length, ...cost, ctldCpuMs };
  }
}

/** Runs a and b `rounds` times, alternating which goes first, so drift (a loaded VM, a growing job table) hits both. */
async function alternate(rounds: number, a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return out;
}

export async function runSlurmBench(): Promise<void> {
  const cluster = await LocalSlurm.start({ constrain: true, rest: false });
  try {
    const bench = new Bench(cluster);
    const dir = jobDir(cluster, 'bench');
    console.log(`Slurm bench: single-node test cluster (${cluster.cpus} CPUs), ${ROUNDS} alternating rounds, medians`);

    const poll = await bench.pollCost(dir);
    console.log(
      `watching ${poll.records} jobs, per poll: squeue --json ${fmt(poll.bytes / 1024, 0)} KiB, ${fmt(poll.json.wallMs)} ms wall, squeue ${fmt(poll.json.cpuMs)} ms CPU, engine ${fmt(poll.engineCpuMs)} ms CPU (spawn + parse), slurmctld ${fmt(poll.jsonCtldMs, 2)} ms CPU;` +
        ` baseline squeue -j IDS -O (text): ${fmt(poll.text.wallMs)} ms wall, ${fmt(poll.text.cpuMs)} ms CPU, slurmctld ${fmt(poll.textCtldMs, 2)} ms = JSON costs ${fmt(poll.json.cpuMs / poll.text.cpuMs)}x the CPU`,
    );
    for (const interval of [1, 2, 5, 10]) {
      const perCore = (ms: number) => fmt((ms / (interval * 1000)) * 100, 2);
      console.log(`  one poll per ${interval} s: squeue ${perCore(poll.json.cpuMs)} % + engine ${perCore(poll.engineCpuMs)} % of a core here, slurmctld ${perCore(poll.jsonCtldMs)} %`);
    }

    const lat = await alternate(ROUNDS, () => bench.latencyDirect(dir), () => bench.latencyClient(dir));
    console.log(`submit -> RUNNING: sbatch + squeue -h -j ID ${fmt(median(lat.a), 0)} ms, client (squeue --json) ${fmt(median(lat.b), 0)} ms = ${fmt(median(lat.b) / median(lat.a), 2)}x (rounds: direct ${lat.a.map((x) => fmt(x, 0)).join('/')}, client ${lat.b.map((x) => fmt(x, 0)).join('/')})`);

    for (const inFlight of [1, 4]) {
      const tp = await alternate(ROUNDS, () => bench.throughput('direct', inFlight, dir), () => bench.throughput('client', inFlight, dir));
      const same = await alternate(ROUNDS, () => bench.throughput('same-options', inFlight, dir), () => bench.throughput('client', inFlight, dir));
      console.log(
        `submit ${ITEMS} held jobs, ${inFlight} in flight: sbatch --wrap ${fmt(median(tp.a))} jobs/s, client ${fmt(median(tp.b))} jobs/s = ${fmt(median(tp.b) / median(tp.a), 2)}x (rounds: sbatch ${tp.a.map((x) => fmt(x)).join('/')}, client ${tp.b.map((x) => fmt(x)).join('/')});` +
          ` sbatch with the client's options and script ${fmt(median(same.a))} jobs/s, client ${fmt(median(same.b))} = ${fmt(median(same.b) / median(same.a), 2)}x`,
      );
    }

    const jobs = await bench.templateBatch('jobs', jobDir(cluster, 'perjob'));
    const array = await bench.templateBatch('array', jobDir(cluster, 'array'));
    console.log(`${ITEMS}-item template batch: one job per item submits in ${fmt(jobs.submitMs, 0)} ms (all done ${fmt(jobs.doneMs / 1000)} s); one job array in ${fmt(array.submitMs, 0)} ms (all done ${fmt(array.doneMs / 1000)} s): the array submits ${fmt(jobs.submitMs / array.submitMs, 0)}x faster`);

    const sstat = await bench.sstatCost(dir);
    console.log(`sstat -a for ${sstat.running} running jobs, per call: ${fmt(sstat.wallMs)} ms wall, ${fmt(sstat.cpuMs)} ms CPU, slurmctld ${fmt(sstat.ctldCpuMs, 2)} ms CPU (it asks each job's slurmstepd through slurmd)`);
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSlurmBench();
