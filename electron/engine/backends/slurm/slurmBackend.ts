import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { JobSpec, SpecWarning } from '../../../../shared/jobSpec';
import type { Settings } from '../../../../shared/settings';
import { createRunLog, runLogPath } from '../../logs/runLogFiles';
import type { LogSpace } from '../../logs/logSpace';
import { PRIVATE_DIR_MODE } from '../../store/atomicJson';
import type { AdoptableRun, Backend, BackendDescription, LaunchRequest, PendingRecovery, RunEvents, RunSample } from '../backend';
import { CallQueue } from './callQueue';
import { SlurmClient } from './slurmClient';
import { SlurmError } from './slurmError';
import { SlurmRun } from './slurmRun';
import { SlurmRunRegistry, type SlurmRunRecord } from './slurmRunRegistry';
import { checkSubmitInput, refuseLocalOnly, slurmPlacementOf, submitInputOf } from './slurmSpec';
import { SlurmSubmitter } from './slurmSubmitter';
import { SlurmUsage } from './slurmUsage';
import { SlurmWatch } from './slurmWatch';

export interface SlurmBackendOptions {
  dataDir: string;
  /** Working directory of jobs that name none (on the cluster's shared file system). */
  defaultCwd: string;
  settings(): Settings;
  notice(message: string): void;
  /** Procdeck's own environment: where sbatch is looked up (PATH) and SLURM_CONF is read. Jobs' environments are built from `jobEnvironment`. */
  env?: NodeJS.ProcessEnv;
  jobEnvironment: Readonly<Record<string, string>>;
  /** Shorter in tests only; the defaults are the README's measured choices. */
  pollIntervalMs?: number;
  usageIntervalMs?: number;
  /** Where its runs' log files are counted (the log budget). */
  logSpace?: LogSpace;
}

/** How long what the controller said (up, partitions) is trusted before it is asked again. */
const PROBE_TTL_MS = 10_000;

interface Probe {
  at: number;
  available: boolean;
  detail: string;
  partitions?: string[];
}

/**
 * Runs jobs on a Slurm cluster through Slurm's own clients (SlurmClient): submission with
 * sbatch (a batch's same-turn items as one job array), states by polling squeue, output
 * followed from the job's files, controls through scancel/scontrol, usage from sstat. Slurm
 * queues and places jobs itself, so a run holds no slot of this machine's pool. Jobs outlive
 * Procdeck: shutting down detaches from them, and the next start finds them again by the ids
 * recorded in slurm-runs.json.
 */
export class SlurmBackend implements Backend {
  readonly kind = 'slurm' as const;
  readonly queuesItself = true;
  private readonly registry: SlurmRunRegistry;
  /** Live runs by job id. */
  private readonly live = new Map<string, SlurmRun>();
  private readonly watch: SlurmWatch;
  private readonly usage: SlurmUsage;
  private readonly submitter: SlurmSubmitter;
  private cached?: { conf: string | undefined; client: SlurmClient };
  private probe?: Probe;
  private probing = false;
  private readonly env: NodeJS.ProcessEnv;
  /** Submissions and controls: 4 Slurm clients at once at most. */
  private readonly calls = new CallQueue(4);

  constructor(private readonly options: SlurmBackendOptions) {
    this.env = options.env ?? process.env;
    this.registry = new SlurmRunRegistry(options.dataDir, options.notice);
    this.usage = new SlurmUsage(options.usageIntervalMs);
    this.watch = new SlurmWatch(
      {
        runs: () => this.live.values(),
        client: () => this.client(),
        controllerChanged: (down) => {
          this.probe = undefined;
          options.notice(down === undefined ? 'the Slurm controller answers again: Slurm jobs are followed again' : `${down}. Slurm jobs keep their last known state until it answers again`);
        },
        problem: (message) => options.notice(`watching Slurm jobs: ${message}`),
      },
      options.pollIntervalMs,
    );
    this.submitter = new SlurmSubmitter({
      client: () => this.client(),
      defaultCwd: options.defaultCwd,
      outputDir: join(options.dataDir, 'slurm'),
      record: (_run, record) => this.registry.put(record),
      saveRecords: () => this.registry.saveNow(),
      calls: this.calls,
    });
  }

  /** The client for the slurm.conf in force (the setting, else SLURM_CONF, else Slurm's default lookup). */
  client(): SlurmClient {
    const conf = this.options.settings().slurmConf ?? undefined;
    const cached = this.cached;
    if (cached && cached.conf === conf) return cached.client;
    const client = new SlurmClient({ slurmConf: conf, env: this.env });
    this.cached = { conf, client };
    return client;
  }

  describe(): BackendDescription {
    const missing = this.missingSetup();
    if (missing) return { kind: 'slurm', available: false, detail: missing.message };
    this.refreshProbe();
    const probe = this.probe;
    if (!probe) return { kind: 'slurm', available: false, detail: 'asking the Slurm controller (scontrol ping)…' };
    return { kind: 'slurm', available: probe.available, detail: probe.detail, ...(probe.partitions && { partitions: probe.partitions }) };
  }

  /** None: a shell command's first word is looked up on the cluster's node, whose PATH this machine cannot see. */
  warnings(): SpecWarning[] {
    return [];
  }

  preflight(spec: JobSpec): void {
    const where = slurmPlacementOf(spec);
    const missing = this.missingSetup();
    if (missing) throw missing;
    refuseLocalOnly(spec);
    checkSubmitInput(submitInputOf(spec, { stdoutPath: '/p/out', stderrPath: '/p/err' }, this.options.defaultCwd));
    this.refreshProbe();
    const down = this.watch.controllerDown ?? (this.probe && !this.probe.available ? this.probe.detail : undefined);
    if (down !== undefined) throw new SlurmError('controller-down', down, 'scontrol ping', '', 'where');
    const known = this.probe?.partitions;
    if (where.partition !== undefined && known && !known.includes(where.partition)) {
      throw new SlurmError('bad-partition', `the partition does not exist on this cluster (sbatch: error: invalid partition specified: ${where.partition}; the cluster has ${known.join(', ')})`, 'sbatch', 'invalid partition specified', 'where.partition');
    }
  }

  launch(request: LaunchRequest, events: RunEvents): SlurmRun {
    const { jobId, runId } = request;
    const dir = join(this.options.dataDir, 'slurm', jobId);
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const run = this.makeRun(jobId, runId, { stdoutPath: join(dir, `${runId}.out`), stderrPath: join(dir, `${runId}.err`) }, events);
    this.submitter.enqueue(request, run);
    this.watch.started();
    return run;
  }

  hasLiveRuns(): boolean {
    return this.live.size > 0;
  }

  async sampleUsage(): Promise<ReadonlyMap<string, RunSample>> {
    return this.usage.take(this.live, () => this.client(), this.watch.controllerDown !== undefined);
  }

  recover(): PendingRecovery {
    const { records, problem } = this.registry.load();
    return {
      liveJobIds: new Set(records.map((r) => r.jobId)),
      complete: () => ({ recovered: [], ...(problem !== undefined && { problem }), adopted: records.map((r) => this.adoptable(r)) }),
    };
  }

  /** Detaches from every live run: the jobs run on in the cluster, and are found again at the next start. */
  async shutdown(): Promise<void> {
    await this.submitter.flushed();
    this.watch.dispose();
    for (const run of [...this.live.values()]) run.detach();
    this.registry.saveNow();
  }

  private adoptable(record: SlurmRunRecord): AdoptableRun {
    return {
      jobId: record.jobId,
      runId: record.runId,
      resume: (events) => {
        // The run's log is rebuilt from the job's output files, which hold everything it wrote.
        rmSync(runLogPath(this.options.dataDir, record.jobId, record.runId), { force: true });
        const run = this.makeRun(record.jobId, record.runId, record, events);
        run.adopting = true;
        run.reason = 'Procdeck restarted: looking the Slurm job up again';
        if (record.slurmJobId !== undefined) run.submitted(record.slurmJobId, record);
        this.watch.started();
        this.watch.pollSoon();
        return run;
      },
      abandon: () => {
        this.registry.remove(record.runId);
        if (record.slurmJobId === undefined) return;
        this.options.notice(`Slurm job ${record.slurmJobId} belonged to job ${record.jobId}, which is no longer saved: cancelled`);
        void this.client()
          .cancel(record.slurmJobId)
          .catch((error: unknown) => this.options.notice(`could not cancel Slurm job ${record.slurmJobId}: ${(error as Error).message}`));
      },
    };
  }

  private makeRun(jobId: string, runId: string, files: { stdoutPath: string; stderrPath: string }, events: RunEvents): SlurmRun {
    const settings = this.options.settings();
    const log = createRunLog(this.options.dataDir, jobId, runId, settings, events, this.options.logSpace);
    const run = new SlurmRun(runId, files, log, events, {
      client: () => this.client(),
      controllerDown: () => this.watch.controllerDown,
      pollSoon: () => this.watch.pollSoon(),
      call: (work) => this.calls.run(work),
      recordId: (r) => {
        const record = this.submitter.recordOf(r) ?? { jobId, runId, ...files, submittedAt: Date.now() };
        this.registry.put({ ...record, slurmJobId: r.slurmJobId });
      },
      finished: (r, keepRecord) => {
        this.live.delete(jobId);
        if (r.slurmJobId !== undefined) this.usage.forget(r.slurmJobId);
        if (!keepRecord) this.registry.remove(runId);
      },
    });
    this.live.set(jobId, run);
    return run;
  }

  /** sbatch missing, or a slurm.conf named that does not exist: said before anything is asked of Slurm. */
  private missingSetup(): SlurmError | undefined {
    const path = this.env.PATH ?? '';
    if (!path.split(delimiter).some((dir) => dir && existsSync(join(dir, 'sbatch')))) {
      return new SlurmError('not-installed', `Slurm is not installed here: sbatch not found on PATH=${path}`, 'sbatch', '', 'where');
    }
    const conf = this.options.settings().slurmConf ?? this.env.SLURM_CONF;
    if (conf && !existsSync(conf)) return new SlurmError('not-configured', `Slurm's configuration ${conf} does not exist`, 'sbatch', '', 'where');
    return undefined;
  }

  /** Asks the controller again (in the background) when what it last said is older than PROBE_TTL_MS. */
  private refreshProbe(): void {
    if (this.probing || (this.probe && Date.now() - this.probe.at < PROBE_TTL_MS)) return;
    this.probing = true;
    const client = this.client();
    void (async (): Promise<Probe> => {
      const ping = await client.ping();
      if (!ping.up) return { at: Date.now(), available: false, detail: `the Slurm controller (slurmctld) is not answering (${ping.message})` };
      const partitions = await client.partitions();
      return { at: Date.now(), available: true, detail: ping.message, partitions: partitions.map((p) => p.name) };
    })()
      .catch((error: unknown) => ({ at: Date.now(), available: false, detail: error instanceof Error ? error.message : String(error) }))
      .then((probe) => {
        this.probe = probe;
        this.probing = false;
      });
  }
}
