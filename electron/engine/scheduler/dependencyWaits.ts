import type { Job } from '../job';

/**
 * Queued jobs held back for their dependencies, indexed by what they wait for: a held job is
 * looked at again only when one of its dependencies changed (touch), never on every pump,
 * so a long queue of dependants costs nothing while nothing they wait for moves.
 */
export class DependencyWaits {
  /** Dependency id → held jobs waiting for it. */
  private readonly waiting = new Map<string, Set<string>>();
  /** Held jobs to look at again. */
  private readonly touched = new Set<string>();

  get hasTouched(): boolean {
    return this.touched.size > 0;
  }

  /** Holds a newly queued job; it is looked at on the next settle. */
  hold(job: Job): void {
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

  release(job: Job): void {
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
