/**
 * First-in first-out queue in front of a concurrency limit. The pool only counts; the
 * engine tells it when a run starts and ends.
 */
export class Pool {
  private readonly queue: string[] = [];
  private running = 0;

  constructor(private limit: number) {}

  get runningCount(): number {
    return this.running;
  }

  get queuedIds(): readonly string[] {
    return this.queue;
  }

  setLimit(limit: number): void {
    this.limit = limit;
  }

  enqueue(jobId: string): void {
    this.queue.push(jobId);
  }

  cancel(jobId: string): boolean {
    const i = this.queue.indexOf(jobId);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** Ids that may start now; each returned id counts as running until released. */
  takeStartable(): string[] {
    const ids: string[] = [];
    while (this.running < this.limit && this.queue.length > 0) {
      ids.push(this.queue.shift()!);
      this.running++;
    }
    return ids;
  }

  release(): void {
    this.running = Math.max(0, this.running - 1);
  }
}
