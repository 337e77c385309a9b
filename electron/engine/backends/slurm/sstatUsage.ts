import { parseSlurmDuration, parseSlurmSize, parseTresList } from './slurmUnits';

/** The fields asked of `sstat -a -P -n` (22.05's sstat has no --json), in this order. */
export const SSTAT_FORMAT = 'JobID,NTasks,AveCPU,MaxRSS,TRESUsageInTot';

/** One running step's usage as slurmstepd last sampled it (every JobAcctGatherFrequency). */
export interface StepUsage {
  /** "123.batch", "123.0", "123_4.batch"… */
  stepId: string;
  /** The job the step belongs to, by Slurm's record id: an array task is named by its own id ("124"), not "123_4". */
  jobId: string;
  tasks: number;
  /** CPU time used so far, all tasks: AveCPU x NTasks. Slurm counts whole seconds. */
  cpuSeconds: number;
  /** Resident memory now, all tasks (TRESUsageInTot mem=). */
  rssBytes?: number;
  /** The largest resident size of one task so far (MaxRSS). */
  maxRssBytes?: number;
}

/** Lines of `sstat -P -n --format=SSTAT_FORMAT`; lines that do not read as a step are skipped. */
export function parseSstat(stdout: string): StepUsage[] {
  const steps: StepUsage[] = [];
  const seen = new Set<string>();
  for (const line of stdout.split('\n')) {
    const [stepId, tasksText, aveCpu, maxRss, tresTot] = line.split('|');
    // sstat expands an array id (or an array task's id) to every task of the array, so a step
    // asked for twice is printed twice: count it once.
    if (!stepId || tresTot === undefined || seen.has(stepId)) continue;
    seen.add(stepId);
    const dot = stepId.indexOf('.');
    const tasks = Number(tasksText);
    const perTask = parseSlurmDuration(aveCpu ?? '');
    if (dot <= 0 || !Number.isInteger(tasks) || tasks < 1 || perTask === undefined) continue;
    const tres = parseTresList(tresTot);
    steps.push({
      stepId,
      jobId: stepId.slice(0, dot),
      tasks,
      cpuSeconds: perTask * tasks,
      rssBytes: parseSlurmSize(tres.get('mem') ?? ''),
      maxRssBytes: parseSlurmSize(maxRss ?? ''),
    });
  }
  return steps;
}

/** A job's usage summed over its running steps. */
export interface JobUsage {
  jobId: string;
  cpuSeconds: number;
  rssBytes?: number;
  maxRssBytes?: number;
  steps: StepUsage[];
}

export function usageByJob(steps: readonly StepUsage[]): Map<string, JobUsage> {
  const jobs = new Map<string, JobUsage>();
  for (const step of steps) {
    const job = jobs.get(step.jobId) ?? { jobId: step.jobId, cpuSeconds: 0, steps: [] };
    job.cpuSeconds += step.cpuSeconds;
    if (step.rssBytes !== undefined) job.rssBytes = (job.rssBytes ?? 0) + step.rssBytes;
    if (step.maxRssBytes !== undefined) job.maxRssBytes = Math.max(job.maxRssBytes ?? 0, step.maxRssBytes);
    job.steps.push(step);
    jobs.set(step.jobId, job);
  }
  return jobs;
}

/**
 * CPU rate from successive sstat samples. AveCPU is cumulative with 1 s resolution, so the
 * rate is the difference over the interval between samples: at a 1 s interval it reads 0, 100
 * or 200 % for a job that is steadily at 100 %; over 10 s the error is under 10 %. Steps are
 * followed one by one: a step that ended drops out (its time is not "negative usage"), and a
 * step that appeared counts from zero.
 */
export class CpuRate {
  private last = new Map<string, { at: number; steps: Map<string, number> }>();

  /** Percent of one core since the previous sample of this job; undefined for the first one. */
  update(usage: JobUsage, atMs: number): number | undefined {
    const previous = this.last.get(usage.jobId);
    const steps = new Map(usage.steps.map((s) => [s.stepId, s.cpuSeconds]));
    this.last.set(usage.jobId, { at: atMs, steps });
    if (!previous || atMs <= previous.at) return undefined;
    let delta = 0;
    for (const [id, seconds] of steps) delta += Math.max(0, seconds - (previous.steps.get(id) ?? 0));
    return (delta / ((atMs - previous.at) / 1000)) * 100;
  }

  forget(jobId: string): void {
    this.last.delete(jobId);
  }
}
