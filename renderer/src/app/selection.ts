import { call } from '../api/procdeck';
import { useLogsStore } from '../stores/logsStore';
import { MAX_SERIES_POINTS, useSamplesStore } from '../stores/samplesStore';
import { useSelectionStore } from '../stores/selectionStore';
import { flushPendingEvents } from './jobEventQueue';

const STORAGE_KEY = 'procdeck.selectedJob';

/** Selects a job (or none) and loads its log tail and sample history once. */
export function selectJob(jobId: string | null): void {
  const previous = useSelectionStore.getState().selectedJobId;
  if (previous === jobId) return;
  if (previous !== null) {
    useLogsStore.getState().forget([previous]);
    useSamplesStore.getState().unwatch([previous]);
  }
  useSelectionStore.getState().setSelected(jobId);
  rememberSelection(jobId);
  if (jobId !== null) void loadJobDetails(jobId);
}

/** (Re)loads the selected job's log and samples, e.g. after a reconnect. */
export function loadJobDetails(jobId: string): Promise<void> {
  useLogsStore.getState().beginLoad(jobId);
  useSamplesStore.getState().beginWatch(jobId);
  // Each answer is applied in the same task it arrives in: batches already queued are part of
  // the answer and are dropped by the flush; later ones are appended after it.
  const logs = call('logs.tail', { jobId }).then((result) => {
    if (useSelectionStore.getState().selectedJobId !== jobId) return;
    flushPendingEvents();
    if (result.ok) useLogsStore.getState().loaded(jobId, result.value);
    else useLogsStore.getState().failed(jobId, result.error.message);
  });
  // The one history (the monitor's, per run): the same points the range charts read.
  const samples = call('monitor.history', { subjectId: jobId, range: 'run', maxPoints: MAX_SERIES_POINTS }).then((result) => {
    if (useSelectionStore.getState().selectedJobId !== jobId) return;
    useSamplesStore.getState().loadedHistory(jobId, result.ok ? result.value.points : []);
  });
  return Promise.all([logs, samples]).then(() => undefined);
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
