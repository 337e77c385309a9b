import { call } from '../api/procdeck';
import { useLogsStore, type PastRun } from '../stores/logsStore';
import { MAX_SERIES_POINTS, useSamplesStore } from '../stores/samplesStore';
import { useSelectionStore } from '../stores/selectionStore';
import { flushPendingEvents } from './jobEventQueue';

const STORAGE_KEY = 'procdeck.selectedJob';

/**
 * Makes a job (or none) the current one and loads its log tail and sample history once. The
 * picked jobs follow while at most one is picked, unless keepChosen says to leave them.
 */
export function selectJob(jobId: string | null, keepChosen = false): void {
  const previous = useSelectionStore.getState().selectedJobId;
  if (previous === jobId) return;
  if (previous !== null) {
    useLogsStore.getState().forget([previous]);
    useSamplesStore.getState().unwatch([previous]);
  }
  useSelectionStore.getState().setSelected(jobId, keepChosen);
  rememberSelection(jobId);
  if (jobId !== null) void loadJobDetails(jobId);
}

/** Picks one job alone and makes it the current one (a plain click, a plain arrow key). */
export function selectOnly(jobId: string): void {
  useSelectionStore.getState().choose([jobId], jobId);
  selectJob(jobId);
}

/** (Re)loads the selected job's log (the past run it shows, if one is) and samples, e.g. after a reconnect. */
export function loadJobDetails(jobId: string): Promise<void> {
  useSamplesStore.getState().beginWatch(jobId);
  const logs = loadLog(jobId, useLogsStore.getState().logs[jobId]?.pastRun);
  // The one history (the monitor's, per run): the same points the range charts read.
  const samples = call('monitor.history', { subjectId: jobId, range: 'run', maxPoints: MAX_SERIES_POINTS }).then((result) => {
    if (useSelectionStore.getState().selectedJobId !== jobId) return;
    useSamplesStore.getState().loadedHistory(jobId, result.ok ? result.value.points : []);
  });
  return Promise.all([logs, samples]).then(() => undefined);
}

/** Shows a past run's log in the log pane instead of the latest run's, or (null) the latest run's again. */
export function showRun(jobId: string, pastRun: PastRun | null): Promise<void> {
  return loadLog(jobId, pastRun ?? undefined);
}

function loadLog(jobId: string, pastRun: PastRun | undefined): Promise<void> {
  useLogsStore.getState().beginLoad(jobId, pastRun);
  // Each answer is applied in the same task it arrives in: batches already queued are part of
  // the answer and are dropped by the flush; later ones are appended after it. A past run's
  // answer takes no batches (they are the latest run's).
  return call('logs.tail', pastRun ? { jobId, run: pastRun.number } : { jobId }).then((result) => {
    if (useSelectionStore.getState().selectedJobId !== jobId) return;
    if (useLogsStore.getState().logs[jobId]?.pastRun?.number !== pastRun?.number) return;
    flushPendingEvents();
    if (result.ok) useLogsStore.getState().loaded(jobId, result.value, pastRun?.number);
    else useLogsStore.getState().failed(jobId, result.error.message);
  });
}

export function rememberedSelection(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function rememberSelection(jobId: string | null): void {
  try {
    if (jobId === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, jobId);
  } catch {
    // Storage may be disabled; selection then simply does not survive a reload.
  }
}
