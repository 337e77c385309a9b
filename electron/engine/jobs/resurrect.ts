import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';
import { readJsonOrSetAside, writeJsonAtomic } from '../store/atomicJson';
import type { Job } from './job';

/**
 * PM2's resurrect, supervisord's autostart: jobs whose restart policy is `always` and that were
 * running (or about to restart) when Procdeck shut down normally are listed in
 * `<data dir>/resurrect.json`, and the next engine starts them again. After a crash the list is
 * absent: what a dead engine left running is reaped, not restarted.
 */
const resurrectSchema = lazySchema(() => z.object({ jobIds: z.array(z.string()) }));

export const RESURRECT_REASON = 'running when Procdeck shut down (restart: always)';

export class ResurrectList {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'resurrect.json');
  }

  /** At shutdown, before any run is stopped. */
  record(jobs: Iterable<Job>): void {
    const jobIds = [...jobs].filter((job) => job.spec.restart.when === 'always' && (job.liveRun() !== undefined || job.phase.kind === 'backing-off')).map((job) => job.id);
    writeJsonAtomic(this.path, { jobIds });
  }

  /** At open: the list, then forgotten (a crash before the next normal shutdown resurrects nothing). */
  take(): { jobIds: string[]; problem?: string } {
    const read = readJsonOrSetAside(this.path, resurrectSchema, 'the jobs to start again (resurrect.json)');
    rmSync(this.path, { force: true });
    return { jobIds: read.value?.jobIds ?? [], problem: read.problem };
  }
}
