import type { JobSample } from '../../../shared/jobSnapshot';

export type SamplePoint = JobSample & { at: number };

/** The last `capacity` samples of each job (a ring per job; oldest dropped first). */
export class SampleHistory {
  private readonly byJob = new Map<string, SamplePoint[]>();

  constructor(private readonly capacity = 600) {}

  add(point: SamplePoint): void {
    let points = this.byJob.get(point.jobId);
    if (!points) this.byJob.set(point.jobId, (points = []));
    points.push(point);
    if (points.length > this.capacity) points.splice(0, points.length - this.capacity);
  }

  get(jobId: string): SamplePoint[] {
    return [...(this.byJob.get(jobId) ?? [])];
  }

  forget(jobId: string): void {
    this.byJob.delete(jobId);
  }
}
