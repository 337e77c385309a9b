import { z } from 'zod';
import { readJson, writeJsonAtomic } from './atomicJson';

export const runningRecordSchema = z.object({
  jobId: z.string(),
  runId: z.string(),
  pgid: z.number().int(),
  /** Leader's start time in clock ticks since boot: tells our group from a recycled pgid. */
  startTime: z.number().optional(),
  command: z.string(),
  engineStartedAt: z.number(),
});
export type RunningRecord = z.infer<typeof runningRecordSchema>;
const fileSchema = z.object({ enginePid: z.number().int(), records: z.array(runningRecordSchema) });

/**
 * The on-disk list of process groups this engine has running. Written on every change (coalesced
 * per event-loop turn) so that a SIGKILLed engine leaves behind exactly what it must reap.
 */
export class RunningRegistry {
  private readonly records = new Map<string, RunningRecord>();
  private flushQueued = false;

  constructor(private readonly path: string) {}

  /** What a previous engine left behind; empty when it shut down cleanly. */
  readLeftovers(): RunningRecord[] {
    const read = readJson(this.path, fileSchema);
    return read.ok ? read.value.records : [];
  }

  add(record: RunningRecord): void {
    this.records.set(record.runId, record);
    this.queueFlush();
  }

  remove(runId: string): void {
    if (this.records.delete(runId)) this.queueFlush();
  }

  /** Writes now (at start-up, after reaping leftovers, and at shutdown). */
  flush(): void {
    this.flushQueued = false;
    // No fsync: this file guards against the engine dying, and a dead engine's writes are
    // still in the page cache; after a machine crash its jobs are gone anyway. An fsync per
    // spawn and per exit would cost more than the spawn itself.
    writeJsonAtomic(this.path, { enginePid: process.pid, records: [...this.records.values()] }, { durable: false });
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      if (this.flushQueued) this.flush();
    });
  }
}
