import type { JobSample, SampleTick } from '../../../shared/jobSnapshot';
import type { RunSample, RunUsage } from '../backends/backend';
import type { EngineSampleTick } from '../eventCoalescer';

interface Sent {
  sample: JobSample;
  /** The tick that last sampled the job: one an older number names is gone. */
  seenAt: number;
}

function sameFigures(a: JobSample, b: RunUsage): boolean {
  return a.cpu === b.cpu && a.rss === b.rss && a.processes === b.processes;
}

/**
 * Turns each tick's samples into samples.tick as a change against the tick before: a settled
 * job (a `sleep`, an idle server) has the same figures tick after tick, and sending only the
 * ones that moved is what keeps a tick of 100 jobs from serializing 7 KB for every viewer.
 * It keeps the last sample of every live job, so that a recipient that missed a change (a
 * slow connection skipped it, a page reloaded) can be sent the whole tick instead. A job's
 * sample is made only when its figures moved: a settled job allocates nothing here.
 */
export class SampleTickDelta {
  private readonly sent = new Map<string, Sent>();
  private tickNumber = 0;
  private latestAt = 0;
  private wholeTick?: SampleTick;
  private readonly whole = (): SampleTick => (this.wholeTick ??= { at: this.latestAt, samples: [...this.sent.values()].map((s) => s.sample), full: true });

  /** The change of this tick (`jobs`: what the backends sampled, by job id); undefined when there is nothing to say (no job has or had a sample). */
  next(at: number, jobs: ReadonlyMap<string, RunSample>): EngineSampleTick | undefined {
    const tick = ++this.tickNumber;
    this.latestAt = at;
    this.wholeTick = undefined;
    const changed: JobSample[] = [];
    // forEach, not for-of: at one tick a second this runs unoptimized for minutes, where a for-of step over a Map allocates.
    jobs.forEach(({ usage }, jobId) => {
      const sent = this.sent.get(jobId);
      if (sent !== undefined) {
        sent.seenAt = tick;
        if (sameFigures(sent.sample, usage)) return;
      }
      const sample: JobSample = { jobId, cpu: usage.cpu, rss: usage.rss, processes: usage.processes };
      if (sent === undefined) this.sent.set(jobId, { sample, seenAt: tick });
      else sent.sample = sample;
      changed.push(sample);
    });
    let gone: string[] | undefined;
    // Every job sampled now is in `sent`: more entries than samples means some were not sampled.
    if (this.sent.size > jobs.size) {
      gone = [];
      for (const [jobId, sent] of this.sent) {
        if (sent.seenAt === tick) continue;
        gone.push(jobId);
        this.sent.delete(jobId);
      }
    }
    if (jobs.size === 0 && gone === undefined) return undefined;
    return { at, samples: changed, ...(gone && { gone }), whole: this.whole };
  }
}
