import type { JobSnapshot, LogBatch } from '../../../shared/jobSnapshot';
import type { BatchProgress, GroupInfo } from '../../../shared/scheduling';
import { useDialogStore } from '../stores/dialogStore';
import { useJobsStore } from '../stores/jobsStore';
import { isWatchedLog, useLogsStore } from '../stores/logsStore';
import { useSamplesStore } from '../stores/samplesStore';
import { useSchedulingStore } from '../stores/schedulingStore';
import { useSelectionStore } from '../stores/selectionStore';
import { createFrameScheduler } from './frameScheduler';

// Pushed job and log events wait here until the next animation frame, newest snapshot per job.
// Removed jobs' queued batches are harmless: the logs store ignores jobs it does not watch.
const changedJobs = new Map<string, JobSnapshot>();
const removedJobIds = new Set<string>();
let logBatches: LogBatch[] = [];
// Batch progress and group lists ride with job changes: they change because jobs did.
const changedBatches = new Map<string, BatchProgress>();
let latestGroups: readonly GroupInfo[] | null = null;
let latestQueue: readonly string[] | null = null;

/**
 * Log text is applied at most ten times a second: under a flood that is all a reader can
 * follow, and each application costs a render, a layout and a paint of the log view.
 */
const LOG_FLUSH_INTERVAL_MS = 100;

const jobScheduler = createFrameScheduler(applyJobChanges);
const logScheduler = createFrameScheduler(applyLogBatches, LOG_FLUSH_INTERVAL_MS);

export function queueJobsChanged(jobs: readonly JobSnapshot[]): void {
  for (const job of jobs) {
    changedJobs.set(job.id, job);
    removedJobIds.delete(job.id);
  }
  jobScheduler.schedule();
}

export function queueJobsRemoved(jobIds: readonly string[]): void {
  for (const id of jobIds) {
    changedJobs.delete(id);
    removedJobIds.add(id);
  }
  jobScheduler.schedule();
}

export function queueBatchesChanged(batches: readonly BatchProgress[]): void {
  for (const batch of batches) changedBatches.set(batch.id, batch);
  jobScheduler.schedule();
}

/** Each groups.changed carries every group: only the newest list matters. */
export function queueGroupsChanged(groups: readonly GroupInfo[]): void {
  latestGroups = groups;
  jobScheduler.schedule();
}

/** Each queue.changed carries the whole order: only the newest matters. */
export function queueQueueChanged(order: readonly string[]): void {
  latestQueue = order;
  jobScheduler.schedule();
}

export function queueLogBatches(batches: readonly LogBatch[]): void {
  let queued = false;
  for (const batch of batches) {
    if (!isWatchedLog(batch.jobId)) continue;
    logBatches.push(batch);
    queued = true;
  }
  if (queued) logScheduler.schedule();
}

/** Applies queued events now: call before replacing a store with a fresher answer from the host. */
export function flushPendingEvents(): void {
  jobScheduler.flushNow();
  logScheduler.flushNow();
}

/**
 * Shows jobs as a command's answer has them, at once. Answers and events come down one ordered
 * channel, so every event queued here is older than the answer and every later one newer: the
 * queued ones go first. Applied as each answer arrives, never saved up: a bulk Stop's 'stopping'
 * answers, applied after the last one came, would overwrite the ends that came meanwhile.
 */
export function applyJobAnswer(changed: readonly JobSnapshot[], removedIds: readonly string[] = []): void {
  flushPendingEvents();
  useJobsStore.getState().apply(changed, removedIds);
  // The event announcing the removal comes later, and finds nothing left to forget: forget here.
  if (removedIds.length > 0) forgetRemoved(removedIds);
}

function applyLogBatches(): void {
  const batches = logBatches;
  logBatches = [];
  if (batches.length > 0) useLogsStore.getState().appendBatches(batches);
}

function applyJobChanges(): void {
  const changed = [...changedJobs.values()];
  const removed = [...removedJobIds];
  changedJobs.clear();
  removedJobIds.clear();

  useJobsStore.getState().apply(changed, removed);
  if (changedBatches.size > 0) {
    const batches = [...changedBatches.values()];
    changedBatches.clear();
    useSchedulingStore.getState().applyBatches(batches);
  }
  if (latestGroups !== null) {
    useSchedulingStore.getState().replaceGroups(latestGroups);
    latestGroups = null;
  }
  if (latestQueue !== null) {
    useJobsStore.getState().setQueue(latestQueue);
    latestQueue = null;
  }
  if (removed.length > 0) forgetRemoved(removed);
}

/** Whatever the window holds about jobs that are gone: their logs, samples, selection, picks and open dialogs. */
function forgetRemoved(removed: readonly string[]): void {
  useLogsStore.getState().forget(removed);
  useSamplesStore.getState().forget(removed);
  const selection = useSelectionStore.getState();
  if (selection.selectedJobId !== null && removed.includes(selection.selectedJobId)) selection.setSelected(null, true);
  selection.forget(removed);
  const dialogs = useDialogStore.getState();
  if (dialogs.killTargetIds !== null) dialogs.setKillTargets(dialogs.killTargetIds.filter((id) => !removed.includes(id)));
  if (dialogs.signalTargetId !== null && removed.includes(dialogs.signalTargetId)) dialogs.setSignalTarget(null);
}
