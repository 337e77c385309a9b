import type { JobSnapshot, LogBatch } from '../../../shared/jobSnapshot';
import { useJobsStore } from '../stores/jobsStore';
import { isWatchedLog, useLogsStore } from '../stores/logsStore';
import { useSamplesStore } from '../stores/samplesStore';
import { useUiStore } from '../stores/uiStore';
import { createFrameScheduler } from './frameScheduler';

// Pushed job and log events wait here until the next animation frame, newest snapshot per job.
const changedJobs = new Map<string, JobSnapshot>();
const removedJobIds = new Set<string>();
let logBatches: LogBatch[] = [];

const scheduler = createFrameScheduler(applyPending);

export function queueJobsChanged(jobs: readonly JobSnapshot[]): void {
  for (const job of jobs) {
    changedJobs.set(job.id, job);
    removedJobIds.delete(job.id);
  }
  scheduler.schedule();
}

export function queueJobsRemoved(jobIds: readonly string[]): void {
  for (const id of jobIds) {
    changedJobs.delete(id);
    removedJobIds.add(id);
  }
  scheduler.schedule();
}

export function queueLogBatches(batches: readonly LogBatch[]): void {
  let queued = false;
  for (const batch of batches) {
    if (!isWatchedLog(batch.jobId)) continue;
    logBatches.push(batch);
    queued = true;
  }
  if (queued) scheduler.schedule();
}

/** Applies queued events now: call before replacing a store with a fresher answer from the host. */
export const flushPendingEvents = (): void => scheduler.flushNow();

function applyPending(): void {
  const changed = [...changedJobs.values()];
  const removed = [...removedJobIds];
  const batches = logBatches;
  changedJobs.clear();
  removedJobIds.clear();
  logBatches = [];

  useJobsStore.getState().apply(changed, removed);
  if (batches.length > 0) useLogsStore.getState().appendBatches(batches);
  if (removed.length > 0) {
    useLogsStore.getState().forget(removed);
    useSamplesStore.getState().forget(removed);
    const ui = useUiStore.getState();
    if (ui.selectedJobId !== null && removed.includes(ui.selectedJobId)) ui.setSelected(null);
    if (ui.killTargetId !== null && removed.includes(ui.killTargetId)) ui.setKillTarget(null);
  }
}
