import type { FiredAlert } from '../../../shared/monitoring';
import type { Backend, RunSample } from '../backends/backend';
import type { EventCoalescer } from '../eventCoalescer';
import type { Monitor } from './monitor';
import { SampleTickDelta } from './sampleTickDelta';

export interface PipelineContext {
  backends: readonly Pick<Backend, 'sampleUsage' | 'hasLiveRuns'>[];
  monitor: Monitor;
  /** What a fired alert does (tell the operator, stop or restart what it names). */
  act(alert: FiredAlert): void;
  events: Pick<EventCoalescer, 'emit'>;
  /** The engine is shutting down: a tick whose sampling was under way when it began records nothing. */
  isClosed(): boolean;
}

const NONE: ReadonlyMap<string, RunSample> = new Map();

/**
 * One sampling tick, in one direction: sample (each backend's live runs; this machine's
 * watched processes and system view ride on the local backend's /proc scan) → history (one
 * per subject) → alerts → actions → events. Nothing calls back into an earlier step.
 */
export class SamplingPipeline {
  private readonly sampleDelta = new SampleTickDelta();

  constructor(private readonly ctx: PipelineContext) {}

  /** One tick; false when it had nothing to sample and sent nothing, and nobody wants the machine's figures (SamplingLoop pauses). */
  async tick(at: number): Promise<boolean> {
    // 1. Sample.
    let jobs: ReadonlyMap<string, RunSample> = NONE;
    let merged: Map<string, RunSample> | undefined;
    for (const backend of this.ctx.backends) {
      const sampled = await backend.sampleUsage();
      if (sampled.size === 0) continue;
      // One backend with runs (the usual case) hands its map on as it is; a second one's are merged in.
      if (jobs.size === 0) jobs = sampled;
      else {
        merged ??= new Map(jobs);
        for (const [jobId, sample] of sampled) merged.set(jobId, sample);
        jobs = merged;
      }
    }
    if (this.ctx.isClosed()) return false;
    // 2. History and 3. alerts (the machine's own subjects are measured here too, from the same scan).
    const record = this.ctx.monitor.tick(at, jobs);
    // 4. Actions.
    for (const alert of record.monitor.alerts) this.ctx.act(alert);
    // 5. Events.
    const { events } = this.ctx;
    const samples = this.sampleDelta.next(at, jobs);
    if (samples) events.emit('samples.tick', samples);
    if (record.system) events.emit('system.tick', record.system);
    const { monitor } = record;
    const monitored = monitor.watched.length + monitor.watchEnded.length + monitor.leaks.length + monitor.alerts.length > 0 || monitor.processLists !== undefined;
    if (monitored) events.emit('monitor.tick', monitor);
    // Samples sent (the last of them may say which jobs are gone): one more tick, which finds nothing.
    // A backend's live run counts measured or not: a cluster's figures arrive between ticks, for the tick after.
    return jobs.size > 0 || samples !== undefined || record.system !== undefined || monitored || this.ctx.backends.some((b) => b.hasLiveRuns()) || this.ctx.monitor.wantsTicks();
  }
}
