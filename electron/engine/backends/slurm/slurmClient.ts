import { signalNameSchema, type SignalName } from '../../../../shared/signals';
import { EngineError } from '../../engineError';
import { parseSacct, SACCT_FORMAT, type AccountingResult } from './sacctRecords';
import { AmbiguousRecordError, parseExitCode, parseScontrolJob } from './scontrolJob';
import { SlurmCli, type SlurmCliOptions } from './slurmCli';
import { classifySlurmFailure, SlurmError, slurmErrorLines } from './slurmError';
import { viewOfSlurmState, type SlurmJobView } from './slurmState';
import { squeueJobSchema, squeueOutputSchema, toStatuses, type SlurmJobStatus } from './squeueJson';
import { parseSstat, SSTAT_FORMAT, usageByJob, type JobUsage } from './sstatUsage';
import { submitArray, submitJob, type SubmittedArray, type SubmittedJob } from './submitJobs';

/** A job as Slurm reports it, with its Procdeck state beside. */
export interface SlurmJob extends SlurmJobStatus {
  view: SlurmJobView;
}

/** What `scontrol -d show job` adds: Slurm's CPU ids per node, and the ExitCode it reports. */
export interface SlurmJobDetails extends SlurmJob {
  allocation: { node: string; cpuIds: number[] }[];
  /** ExitCode=code:signal, as scontrol prints it. */
  exit?: { code: number; signal: number };
}

export interface JobsSnapshot {
  jobs: Map<string, SlurmJob>;
  /** Records squeue printed that did not read as a job (skipped, not fatal). */
  unreadable: string[];
}

// A job id as Slurm's commands take it: "123" or an array task "123_4". Anything else could be
// an option ("-u root" would cancel every job of the user).
const JOB_ID = /^\d+(?:_\d+)?$/;

function checkJobId(id: string): string {
  if (typeof id !== 'string' || !JOB_ID.test(id)) throw new EngineError('INVALID_REQUEST', `not a Slurm job id: ${JSON.stringify(id)} (expected digits, or digits_digits for an array task)`, 'jobId');
  return id;
}

const withView = (status: SlurmJobStatus): SlurmJob => ({ ...status, view: viewOfSlurmState(status) });

/**
 * The Slurm cluster as Procdeck drives it, for Slurm 22.05 (Debian 12's slurm-wlm): every
 * call runs one of Slurm's command-line clients, with a timeout, and fails with a SlurmError
 * naming what was wrong in Slurm's words. Nothing is cached: a controller that comes back is
 * simply answered by the next call.
 */
export class SlurmClient {
  private readonly cli: SlurmCli;
  private readonly engineEnv: NodeJS.ProcessEnv;

  constructor(options: SlurmCliOptions = {}) {
    this.cli = new SlurmCli(options);
    this.engineEnv = options.env ?? process.env;
  }

  /** Whether slurmctld answers (`scontrol ping`: one quick RPC, no retries). */
  async ping(): Promise<{ up: boolean; message: string }> {
    const { stdout, stderr, exitCode } = await this.cli.run('scontrol', ['ping'], { okExitCodes: [1] });
    const message = (stdout.split('\n').find((l) => /Slurmctld/.test(l)) ?? stderr).trim();
    if (exitCode !== 0 && !/is DOWN/.test(message)) throw classifySlurmFailure('scontrol ping', stderr || stdout, exitCode);
    return { up: exitCode === 0 && /is UP/.test(message), message };
  }

  /** The cluster's partitions (`scontrol show partition -o`), the default one first, with their state (UP, DOWN…). */
  async partitions(): Promise<{ name: string; isDefault: boolean; state: string }[]> {
    const { stdout } = await this.explained(this.cli.run('scontrol', ['show', 'partition', '-o']));
    const list: { name: string; isDefault: boolean; state: string }[] = [];
    for (const line of stdout.split('\n')) {
      const name = /^PartitionName=(\S+)/.exec(line)?.[1];
      if (name) list.push({ name, isDefault: /\sDefault=YES(\s|$)/.test(line), state: /\sState=(\S+)/.exec(line)?.[1] ?? '' });
    }
    return list.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  }

  submit(input: unknown): Promise<SubmittedJob> {
    return this.explained(submitJob(this.cli, input, this.engineEnv));
  }

  submitArray(input: unknown): Promise<SubmittedArray> {
    return this.explained(submitArray(this.cli, input, this.engineEnv));
  }

  /**
   * Every job slurmctld holds, in one `squeue --json` (22.05 ignores its filters with --json,
   * so `ids` filters here). Pending array tasks come out one per task.
   */
  async jobs(ids?: readonly string[]): Promise<JobsSnapshot> {
    const wanted = ids ? new Set(ids.map(checkJobId)) : undefined;
    const { stdout } = await this.cli.run('squeue', ['--json']);
    let raw: unknown;
    try {
      raw = JSON.parse(stdout);
    } catch {
      throw new SlurmError('unreadable-output', `squeue --json printed no JSON: ${JSON.stringify(stdout.slice(0, 200))}`, 'squeue', stdout.slice(0, 2000));
    }
    const output = squeueOutputSchema.safeParse(raw);
    if (!output.success) throw new SlurmError('unreadable-output', `squeue --json printed an unexpected document: ${output.error.issues[0]?.message ?? ''}`, 'squeue');
    if (output.data.errors.length > 0) {
      // With slurmctld down, squeue --json exits 0 and says only "Failed while looking for jobs".
      const said = output.data.errors.map((e) => [e.description, e.error].filter(Boolean).join(': ')).join('; ');
      throw await this.diagnosed(new SlurmError('failed', `squeue --json reported: ${said}`, 'squeue', said));
    }
    const jobs = new Map<string, SlurmJob>();
    const unreadable: string[] = [];
    for (const record of output.data.jobs) {
      const job = squeueJobSchema.safeParse(record);
      if (!job.success) {
        unreadable.push(`${JSON.stringify(record).slice(0, 120)}: ${job.error.issues[0]?.message ?? ''}`);
        continue;
      }
      for (const status of toStatuses(job.data)) if (!wanted || wanted.has(status.id)) jobs.set(status.id, withView(status));
    }
    return { jobs, unreadable };
  }

  /** One job; throws `unknown-job` when slurmctld does not hold it (any more). */
  async job(id: string): Promise<SlurmJob> {
    const job = (await this.jobs([id])).jobs.get(id);
    if (!job) throw new SlurmError('unknown-job', `Slurm does not know job ${id} (it never existed, or it ended more than MinJobAge ago)`, 'squeue');
    return job;
  }

  /** The job plus `scontrol -d show job`: the CPU ids allocated on each node, and ExitCode. */
  async details(id: string): Promise<SlurmJobDetails> {
    checkJobId(id);
    const job = await this.job(id);
    const { stdout } = await this.explained(this.cli.run('scontrol', ['-d', 'show', 'job', '-o', id]));
    const line = stdout.split('\n').find((l) => l.startsWith(`JobId=${job.jobId} `));
    if (!line) throw new SlurmError('unreadable-output', `scontrol printed no record for job ${id}`, 'scontrol', stdout.slice(0, 2000));
    try {
      const record = parseScontrolJob(line);
      return { ...job, allocation: record.allocation, exit: parseExitCode(record.fields.get('ExitCode')) };
    } catch (error) {
      if (error instanceof AmbiguousRecordError) throw new SlurmError('unreadable-output', `job ${id}: ${error.message}`, 'scontrol', line);
      throw error;
    }
  }

  /**
   * Live usage of running jobs' steps (`sstat -a`: without it a job that runs only its batch
   * step shows nothing). Jobs without a running step are absent from the result.
   */
  async usage(ids: readonly string[]): Promise<Map<string, JobUsage>> {
    if (ids.length === 0) return new Map();
    ids.forEach(checkJobId);
    // sstat names an array task's steps by the task's own record id ("124.batch" for 123_4):
    // learn those ids, ask for them, and answer under the ids asked for.
    const tasks = ids.some((id) => id.includes('_')) ? (await this.jobs(ids)).jobs : new Map<string, SlurmJob>();
    const asked = new Map(ids.map((id) => [tasks.has(id) ? String(tasks.get(id)!.jobId) : id, id]));
    const { stdout } = await this.explained(this.cli.run('sstat', ['-a', '-P', '-n', `--format=${SSTAT_FORMAT}`, '-j', [...asked.keys()].join(',')]));
    const result = new Map<string, JobUsage>();
    for (const [recordId, usage] of usageByJob(parseSstat(stdout))) {
      const id = asked.get(recordId);
      if (id !== undefined) result.set(id, { ...usage, jobId: id });
    }
    return result;
  }

  /** Jobs' records from the accounting database, or Slurm's words for why there is none. */
  async accounting(ids: readonly string[]): Promise<AccountingResult> {
    ids.forEach(checkJobId);
    try {
      const { stdout } = await this.cli.run('sacct', ['-n', '-P', `--format=${SACCT_FORMAT}`, '-j', ids.join(',')]);
      return { available: true, records: parseSacct(stdout) };
    } catch (error) {
      if (error instanceof SlurmError && error.kind === 'accounting-disabled') return { available: false, message: error.slurmMessage || error.message };
      throw error;
    }
  }

  /** Ends the job the way Slurm does: SIGCONT + SIGTERM to every step, SIGKILL after KillWait. Ends CANCELLED. */
  async cancel(id: string): Promise<void> {
    await this.scancel(id, []);
  }

  /** Sends a signal to every step and to the batch script with all it started (`--full`). */
  async signal(id: string, signal: SignalName): Promise<void> {
    const name = signalNameSchema.parse(signal);
    await this.scancel(id, [`--signal=${name.replace(/^SIG/, '')}`, '--full']);
  }

  /** SUSPENDED: every process of the job stopped (SIGSTOP), its cores still held. Needs root or an operator. */
  async suspend(id: string): Promise<void> {
    await this.explained(this.cli.run('scontrol', ['suspend', checkJobId(id)]), id);
  }

  async resume(id: string): Promise<void> {
    await this.explained(this.cli.run('scontrol', ['resume', checkJobId(id)]), id);
  }

  /** scancel exits 0 and prints nothing for a job id it does not know unless -v: -v, then its error lines decide. */
  private async scancel(id: string, options: string[]): Promise<void> {
    const { stderr } = await this.explained(this.cli.run('scancel', ['-v', ...options, checkJobId(id)]), id);
    if (slurmErrorLines(stderr).some((l) => /error:/.test(l))) throw await this.diagnosed(classifySlurmFailure('scancel', stderr, 0), id);
  }

  /** Runs `pending`; a failure Slurm words vaguely ("Unexpected message received") is diagnosed further. */
  private async explained<T>(pending: Promise<T>, jobId?: string): Promise<T> {
    try {
      return await pending;
    } catch (error) {
      throw error instanceof SlurmError ? await this.diagnosed(error, jobId) : error;
    }
  }

  /**
   * Slurm's clients say "Unexpected message received" both for a controller that is down and
   * for a job that does not exist, and squeue --json says only "Failed while looking for jobs":
   * ask slurmctld directly (scontrol ping), then whether it knows the job.
   */
  private async diagnosed(error: SlurmError, jobId?: string): Promise<SlurmError> {
    if (error.kind !== 'failed') return error;
    const ping = await this.ping().catch(() => undefined);
    if (ping && !ping.up) return new SlurmError('controller-down', `the Slurm controller (slurmctld) is not answering (${ping.message}); ${error.command} failed: ${error.message}`, error.command, error.slurmMessage);
    if (jobId !== undefined && ping?.up) {
      const known = await this.jobs([jobId]).then((s) => s.jobs.has(jobId), () => true);
      if (!known) return new SlurmError('unknown-job', `Slurm does not know job ${jobId} (${error.command}: ${error.slurmMessage || error.message})`, error.command, error.slurmMessage);
    }
    return error;
  }
}
