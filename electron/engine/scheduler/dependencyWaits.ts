import type { Job } from '../jobs/job';

/**
 * Queued jobs with dependencies, indexed by what they wait for, from when they are queued to
 * when they start (or are cancelled): such a job is looked at again only when one of its
 * dependencies changed (touch), never on every pump, so a long queue of dependants costs
 * nothing while nothing they wait for moves. A job stays tracked once it may start: a
 * dependency restarted before it does makes it wait again.
 */
export class DependencyWaits {
  /** Dependency id → held jobs waiting for it. */
  private readonly waiting = new Map<string, Set<string>>();
  /** Held jobs to look at again. */
  private readonly touched = new Set<string>();

  get hasTouched(): boolean {
    return this.touched.size > 0;
  }

  /** Tracks a newly queued job; it is looked at on the next settle. */
  track(job: Job): void {
    for (const dep of job.spec.dependsOn) {
      let set = this.waiting.get(dep);
      if (!set) this.waiting.set(dep, (set = new Set()));
      set.add(job.id);
    }
    this.touched.add(job.id);
  }

  /** The job changed (ended, restarted, was removed): those waiting for it are looked at again. */
  touch(jobId: string): void {
    const dependants = this.waiting.get(jobId);
    if (dependants) for (const id of dependants) this.touched.add(id);
  }

  /** The job started, or left the queue. */
  untrack(job: Job): void {
    for (const dep of job.spec.dependsOn) {
      const set = this.waiting.get(dep);
      set?.delete(job.id);
      if (set?.size === 0) this.waiting.delete(dep);
    }
    this.touched.delete(job.id);
  }

  /** Takes the touched ids (settling one may touch others: call again until none are left). */
  takeTouched(): string[] {
    const ids = [...this.touched];
    this.touched.clear();
    return ids;
  }
}
