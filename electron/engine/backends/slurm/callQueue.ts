/**
 * At most `limit` Slurm client calls at once; the rest wait their turn in order. Stopping a
 * batch of 100 cluster jobs, or submitting 100 single jobs, must not fork 100 clients
 * together on this machine (nor send slurmctld 100 RPCs in the same instant).
 */
export class CallQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
