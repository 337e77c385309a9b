import { join } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../../../shared/lazySchema';
import { describeFsError } from '../../store/fsErrors';
import { readJsonOrSetAside, writeJsonAtomic } from '../../store/atomicJson';

/** One Slurm job Procdeck submitted and has not seen end: what finds it again after a restart. */
export const slurmRunRecordSchema = lazySchema(() => z.object({
  jobId: z.string(),
  runId: z.string(),
  /** Absent while sbatch has not answered yet: the job is then found by its output path. */
  slurmJobId: z.string().regex(/^\d+(?:_\d+)?$/).optional(),
  stdoutPath: z.string(),
  stderrPath: z.string(),
  submittedAt: z.number(),
  timeLimitMinutes: z.number().int().optional(),
  memoryMiB: z.number().int().optional(),
}));
export type SlurmRunRecord = z.infer<typeof slurmRunRecordSchema>;

const fileSchema = lazySchema(() => z.object({ version: z.literal(1), runs: z.array(slurmRunRecordSchema) }));

/**
 * `slurm-runs.json` in the data dir: every Slurm job of this data dir that has not ended, as a
 * whole file replaced atomically on each change (a few hundred records at most: the batch
 * of 100 writes it 200 times in about as many ms). A record is written *before* sbatch runs,
 * so an engine that dies while sbatch is on its way still knows the job by its output path.
 */
export class SlurmRunRegistry {
  private readonly path: string;
  private readonly runs = new Map<string, SlurmRunRecord>();
  private failing = false;
  private saveScheduled?: NodeJS.Immediate;

  constructor(
    dataDir: string,
    private readonly notice: (message: string) => void,
  ) {
    this.path = join(dataDir, 'slurm-runs.json');
  }

  /** What the previous engine left (once, at open); a damaged file is set aside and said so. */
  load(): { records: SlurmRunRecord[]; problem?: string } {
    const read = readJsonOrSetAside(this.path, fileSchema, 'the record of submitted Slurm jobs (slurm-runs.json)');
    for (const record of read.value?.runs ?? []) this.runs.set(record.runId, record);
    return { records: [...this.runs.values()], problem: read.problem };
  }

  /** Saved at the end of this turn (coalesced: a batch's records are one write); `saveNow` where it must be on disk first. */
  put(record: SlurmRunRecord): void {
    this.runs.set(record.runId, record);
    this.scheduleSave();
  }

  remove(runId: string): void {
    if (this.runs.delete(runId)) this.scheduleSave();
  }

  /** Writes what changed now (before sbatch runs; at shutdown). */
  saveNow(): void {
    if (!this.saveScheduled) return;
    clearImmediate(this.saveScheduled);
    this.saveScheduled = undefined;
    this.save();
  }

  private scheduleSave(): void {
    this.saveScheduled ??= setImmediate(() => {
      this.saveScheduled = undefined;
      this.save();
    });
  }

  private save(): void {
    try {
      writeJsonAtomic(this.path, { version: 1, runs: [...this.runs.values()] });
      if (this.failing) this.notice(`${this.path} is written again`);
      this.failing = false;
    } catch (error) {
      // The jobs run on regardless; only a restart of Procdeck would not find them again.
      if (!this.failing) this.notice(`cannot write ${this.path} (${describeFsError(error)}): Slurm jobs submitted now would not be found again after a restart of Procdeck`);
      this.failing = true;
    }
  }
}
