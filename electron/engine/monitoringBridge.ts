import { existsSync } from 'node:fs';
import type { FiredAlert, HistoryRange, ProcessTarget, SystemProcessQueryInput } from '../../shared/monitoring';
import { EngineError } from './engineError';
import type { EventBatcher } from './eventBatcher';
import type { Job } from './job';
import { Monitoring } from './monitor/monitoring';
import { signalProcess } from './monitor/processActions';
import type { ViewerId } from './monitor/systemView';

/**
 * Binds the monitor (trees, histories, leak trends, alerts, the machine, the system list) to
 * the engine: pushes what each tick produced and hands fired alerts to the engine to act on.
 * Where there is no /proc (not Linux) there is no monitor and its commands say so.
 */
export class MonitoringBridge {
  readonly monitoring?: Monitoring;
  /** Recent busy % per core, for least-loaded pinning. */
  coreLoad: number[] = [];

  constructor(
    private readonly jobs: ReadonlyMap<string, Job>,
    private readonly batcher: EventBatcher,
    private readonly act: (alert: FiredAlert, job: Job | undefined) => void,
  ) {
    if (existsSync('/proc/self/stat')) {
      this.monitoring = new Monitoring({
        runOf: (id) => {
          const job = this.jobs.get(id);
          const run = job?.run;
          return run?.startedAt !== undefined ? { runId: run.runId, startedAt: run.startedAt, name: job!.name } : undefined;
        },
      });
    }
  }

  /** After each sampling tick: push the machine and monitor figures, then act on alerts. */
  afterTick(): void {
    const tick = this.monitoring?.takeTick();
    if (!tick) return;
    const { system, ...rest } = tick;
    if (system) {
      this.coreLoad = system.cores;
      this.batcher.emit('system.tick', system);
    }
    if (rest.watched.length + rest.watchEnded.length + rest.leaks.length + rest.alerts.length > 0 || rest.processLists) {
      this.batcher.emit('monitor.tick', rest);
    }
    for (const alert of rest.alerts) this.act(alert, this.jobs.get(alert.subjectId));
  }

  get(): Monitoring {
    if (!this.monitoring) throw new EngineError('UNSUPPORTED', 'process monitoring in depth needs /proc (Linux)');
    return this.monitoring;
  }

  history(subjectId: string, range: HistoryRange, maxPoints?: number) {
    return this.get().subject(subjectId)?.history(range, maxPoints) ?? [];
  }

  csv(subjectId: string): string {
    const subject = this.get().subject(subjectId);
    if (!subject) throw new EngineError('NOT_FOUND', `no samples recorded for ${subjectId}`, 'subjectId');
    return subject.csv();
  }

  runMetrics(subjectId: string) {
    const subject = this.get().subject(subjectId);
    if (!subject) return null;
    const run = this.jobs.get(subjectId)?.run;
    const outputBytes = run?.runId === subject.run.runId ? run.log.totalBytes : 0;
    const endedAt = run?.runId === subject.run.runId ? run.endedAt : undefined;
    return subject.metrics({ outputBytes, ...(endedAt !== undefined && { endedAt }) });
  }

  /** Opens, renews or closes one viewer's system view (each host connection is a viewer). */
  viewSystem(viewer: ViewerId, visible: boolean, processes?: SystemProcessQueryInput): void {
    if (visible) this.get().viewSystem(processes === undefined ? {} : { processes }, undefined, viewer);
    else this.get().closeSystemView(viewer);
  }

  /** A viewer's connection is gone: its system view ends now, not when its lease runs out. */
  viewerGone(viewer: ViewerId): void {
    this.monitoring?.closeSystemView(viewer);
  }

  /** The watched process behind a subject id, to stop it when an alert says so. */
  stopWatched(subjectId: string): void {
    const watched = this.get()
      .watchedProcesses()
      .find((w) => w.id === subjectId);
    if (watched && watched.endedAt === undefined) {
      const target: ProcessTarget = { pid: watched.pid, startTime: watched.startTime };
      signalProcess(target, 'SIGTERM');
    }
  }

  dispose(): void {
    this.monitoring?.dispose();
  }
}
