import { create } from 'zustand';
import type { LogBatch, LogChunk } from '../../../shared/jobSnapshot';
import { appendChunks, appendNote, emptyLogText, type LogText } from '../lib/logText';

export type LogStatus = 'loading' | 'ready' | 'error';

/** A run that is over, shown in place of the latest one (chosen in the Runs tab). */
export interface PastRun {
  number: number;
  endedAt?: number;
  /** Its state in words (describeJobState). */
  state: string;
}

export interface JobLog extends LogText {
  status: LogStatus;
  error?: string;
  runId?: string;
  /** The shown run's log file, which has everything (rotated parts beside it as .1, .2…). */
  filePath?: string;
  /** Set while a past run is shown: live output (the latest run's) is then not added. */
  pastRun?: PastRun;
}

interface LogsState {
  /** Only jobs being watched (the selected one) have an entry; batches for others are ignored. */
  logs: Record<string, JobLog>;
  /** Starts loading the latest run's log, or `pastRun`'s. */
  beginLoad(jobId: string, pastRun?: PastRun): void;
  /** The tail asked for arrived; ignored unless the same run (`pastRun`'s number, or the latest) is still the one being loaded. */
  loaded(jobId: string, tail: { runId?: string; chunks: LogChunk[]; truncated: boolean; filePath?: string }, pastRunNumber?: number): void;
  failed(jobId: string, message: string): void;
  appendBatches(batches: readonly LogBatch[]): void;
  forget(jobIds: readonly string[]): void;
}

export const useLogsStore = create<LogsState>()((set) => ({
  logs: {},

  beginLoad: (jobId, pastRun) =>
    set((state) => ({ logs: { ...state.logs, [jobId]: { ...emptyLogText(), status: 'loading', ...(pastRun && { pastRun }) } } })),

  loaded: (jobId, tail, pastRunNumber) =>
    set((state) => {
      const current = state.logs[jobId];
      if (!current || current.pastRun?.number !== pastRunNumber) return state;
      const text = appendChunks({ ...emptyLogText(), truncated: tail.truncated }, tail.chunks);
      return { logs: { ...state.logs, [jobId]: { ...text, status: 'ready', runId: tail.runId, filePath: tail.filePath, pastRun: current.pastRun } } };
    }),

  failed: (jobId, message) =>
    set((state) => {
      const log = state.logs[jobId];
      if (!log) return state;
      return { logs: { ...state.logs, [jobId]: { ...log, status: 'error', error: message } } };
    }),

  appendBatches: (batches) =>
    set((state) => {
      let logs: Record<string, JobLog> | undefined;
      for (const batch of batches) {
        const current = (logs ?? state.logs)[batch.jobId];
        // Until the tail arrives, batches are already part of it (the host orders replies after events).
        // A past run is over: what arrives is the latest run's, not its.
        if (!current || current.status !== 'ready' || current.pastRun) continue;
        let text: LogText = current;
        if (current.runId !== undefined && current.runId !== batch.runId) {
          text = appendNote(text, '── new run ──');
        }
        text = appendChunks(text, batch.chunks);
        logs ??= { ...state.logs };
        // A new run writes a file of its own, named once its tail is read again.
        logs[batch.jobId] = { ...current, ...text, runId: batch.runId, filePath: current.runId === batch.runId ? current.filePath : undefined };
      }
      return logs ? { logs } : state;
    }),

  forget: (jobIds) =>
    set((state) => {
      if (!jobIds.some((id) => id in state.logs)) return state;
      const logs = { ...state.logs };
      for (const id of jobIds) delete logs[id];
      return { logs };
    }),
}));

export const isWatchedLog = (jobId: string): boolean => jobId in useLogsStore.getState().logs;
