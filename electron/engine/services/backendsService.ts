import type { Backend, BackendDescription } from '../backends/backend';

/** Where jobs can run (this machine, the Slurm cluster), and whether each can now: what the launch form offers. */
export class BackendsService {
  constructor(private readonly backends: readonly Backend[]) {}

  describe(): BackendDescription[] {
    return this.backends.map((backend) => backend.describe());
  }
}
