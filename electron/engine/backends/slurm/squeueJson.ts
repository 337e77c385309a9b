import { z } from 'zod';
import { lazySchema } from '../../../../shared/lazySchema';
import { SLURM_FINAL_STATES } from './slurmState';

/**
 * `squeue --json` (OpenAPI v0.0.38 in 22.05). Only the fields Procdeck reads are checked; the
 * rest passes. Later Slurm versions wrap numbers as {set, infinite, number} and give job_state
 * as a list, so both shapes are read. In 22.05 `squeue --json` ignores -j/-t filters and lists
 * every job slurmctld still holds (finished ones for MinJobAge), so callers filter.
 */
const slurmNumber = z.union([
  z.number(),
  z.null(),
  z.object({ set: z.boolean(), infinite: z.boolean().optional(), number: z.number() }).transform((n) => (n.set && !n.infinite ? n.number : null)),
]);

const stateValue = z.union([z.string(), z.array(z.string()).transform((states) => states[0] ?? '')]);

const allocatedNodeSchema = lazySchema(() => z.looseObject({
  nodename: z.string().optional(),
  sockets: z.record(z.string(), z.looseObject({ cores: z.record(z.string(), z.string()).optional() })).optional(),
}));

export const squeueJobSchema = lazySchema(() => z.looseObject({
  job_id: z.number().int(),
  name: z.string().default(''),
  job_state: stateValue,
  state_reason: z.string().default(''),
  partition: z.string().default(''),
  nodes: z.string().default(''),
  batch_host: z.string().default(''),
  cpus: slurmNumber.optional(),
  exit_code: slurmNumber.optional(),
  submit_time: slurmNumber.optional(),
  start_time: slurmNumber.optional(),
  end_time: slurmNumber.optional(),
  time_limit: slurmNumber.optional(),
  memory_per_node: slurmNumber.optional(),
  memory_per_cpu: slurmNumber.optional(),
  array_job_id: slurmNumber.optional(),
  array_task_id: slurmNumber.optional(),
  array_task_string: z.string().default(''),
  standard_output: z.string().default(''),
  standard_error: z.string().default(''),
  current_working_directory: z.string().default(''),
  job_resources: z.looseObject({ allocated_cores: slurmNumber.optional(), allocated_nodes: z.array(allocatedNodeSchema).optional() }).optional(),
}));
export type SqueueJob = z.infer<typeof squeueJobSchema>;

export const squeueOutputSchema = lazySchema(() => z.looseObject({
  jobs: z.array(z.unknown()).default([]),
  errors: z.array(z.looseObject({ error: z.string().optional(), description: z.string().optional(), error_number: z.number().optional() })).default([]),
}));

/** One job (or one array task) as Slurm reports it, before mapping onto Procdeck's states. */
export interface SlurmJobStatus {
  /** "123", or "123_4" for task 4 of array job 123: what scancel/scontrol/sstat accept. */
  id: string;
  /** Slurm's own record id (an array task that has started has one of its own). */
  jobId: number;
  arrayJobId?: number;
  arrayTaskId?: number;
  name: string;
  /** PENDING, RUNNING, SUSPENDED, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL… */
  slurmState: string;
  /** Slurm's reason (Resources, Priority, Dependency, JobHeldUser, TimeLimit…); empty for "None". */
  slurmReason: string;
  /** The raw wait status (768 = exit 3, 9 = SIGKILL), once the job has ended. */
  waitStatus?: number;
  partition: string;
  /** The nodes allocated, in Slurm's host list syntax ("n[01-04]"); empty while pending. */
  nodes: string;
  batchHost?: string;
  cpus?: number;
  /** Cores allocated per node, as (socket, core) pairs of Slurm's layout; exact CPU ids: `SlurmClient.details`. */
  allocatedCores?: { node: string; socket: number; core: number }[];
  submittedAt?: number;
  startedAt?: number;
  endedAt?: number;
  /** Minutes; undefined when unlimited. */
  timeLimitMinutes?: number;
  /** The job's memory limit (--mem, or --mem-per-cpu times its CPUs). */
  memoryLimitBytes?: number;
  /** The output patterns as given (%j, %x… unexpanded). */
  stdoutPattern: string;
  stderrPattern: string;
  cwd: string;
}

const epochMs = (s: number | null | undefined) => (s === null || s === undefined || s <= 0 ? undefined : s * 1000);

function cores(job: SqueueJob): SlurmJobStatus['allocatedCores'] {
  const list: { node: string; socket: number; core: number }[] = [];
  for (const node of job.job_resources?.allocated_nodes ?? []) {
    for (const [socket, info] of Object.entries(node.sockets ?? {})) {
      for (const [core, use] of Object.entries(info.cores ?? {})) {
        if (/allocated/i.test(use)) list.push({ node: node.nodename ?? '', socket: Number(socket), core: Number(core) });
      }
    }
  }
  return list.length > 0 ? list : undefined;
}

/**
 * Task ids of a record that stands for several pending array tasks ("0-99", "1,3,5-7",
 * "0-99:2", with an optional "%4" throttle). Empty for anything else.
 */
export function expandArrayTasks(spec: string): number[] {
  const body = spec.replace(/%\d+$/, '');
  if (!/^[\d,:-]+$/.test(body)) return [];
  const ids: number[] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!m) return [];
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step < 1 || to < from || to - from > 1_000_000) return [];
    for (let id = from; id <= to; id += step) ids.push(id);
  }
  return ids;
}

const MIB = 1024 * 1024;

function memoryLimit(job: SqueueJob): number | undefined {
  if (job.memory_per_node) return job.memory_per_node * MIB;
  if (job.memory_per_cpu && job.cpus) return job.memory_per_cpu * job.cpus * MIB;
  return undefined;
}

/** A record as statuses, keyed the way Slurm names them; a pending-array record yields one per task. */
export function toStatuses(job: SqueueJob): SlurmJobStatus[] {
  const arrayJobId = job.array_job_id || undefined;
  const base: Omit<SlurmJobStatus, 'id'> = {
    jobId: job.job_id,
    arrayJobId: arrayJobId ?? undefined,
    name: job.name,
    slurmState: job.job_state,
    slurmReason: job.state_reason === 'None' ? '' : job.state_reason,
    waitStatus: job.exit_code ?? undefined,
    partition: job.partition,
    nodes: job.nodes,
    batchHost: job.batch_host || undefined,
    cpus: job.cpus ?? undefined,
    allocatedCores: cores(job),
    submittedAt: epochMs(job.submit_time),
    startedAt: epochMs(job.start_time),
    // A running job's end_time is its start plus its time limit: a forecast, not an end.
    endedAt: SLURM_FINAL_STATES.has(job.job_state) ? epochMs(job.end_time) : undefined,
    timeLimitMinutes: job.time_limit ?? undefined,
    memoryLimitBytes: memoryLimit(job),
    stdoutPattern: job.standard_output,
    stderrPattern: job.standard_error,
    cwd: job.current_working_directory,
  };
  if (arrayJobId === undefined) return [{ ...base, id: String(job.job_id) }];
  if (job.array_task_id !== null && job.array_task_id !== undefined) {
    return [{ ...base, id: `${arrayJobId}_${job.array_task_id}`, arrayTaskId: job.array_task_id }];
  }
  const tasks = expandArrayTasks(job.array_task_string);
  // A task list this client cannot read still leaves the record visible, under Slurm's own id.
  if (tasks.length === 0) return [{ ...base, id: String(job.job_id) }];
  return tasks.map((task) => ({ ...base, id: `${arrayJobId}_${task}`, arrayTaskId: task }));
}
