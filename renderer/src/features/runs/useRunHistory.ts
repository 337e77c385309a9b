import { useEffect, useRef, useState } from 'react';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import type { RunRecord } from '../../../../shared/run';
import { call } from '../../api/procdeck';

/** How often a job's other changes (its live run's figures, its output) ask for its runs again at most: it is a request. */
export const RUNS_REFRESH_MS = 2000;

export interface RunHistory {
  jobId: string;
  runs: RunRecord[];
  /** When the answer came (epoch ms): a live run's duration is as of then. */
  answeredAt: number;
  error?: string;
}

/** What makes the list wrong at once when it changes: a run started, changed state or ended. */
const runKeyOf = (job: JobSnapshot) => `${job.id}:${job.runCount}:${job.runId ?? ''}:${job.state}:${job.endedAt ?? ''}`;

/**
 * A job's runs (jobs.runs, newest first), asked for again when the job changes: at once when
 * one of its runs starts, changes state or ends; otherwise (its figures, its output) at most
 * every RUNS_REFRESH_MS. An answer for an earlier request or another job is dropped.
 */
export function useRunHistory(job: JobSnapshot | undefined): RunHistory | undefined {
  const [history, setHistory] = useState<RunHistory>();
  const asked = useRef(0);
  const jobId = job?.id;
  const runKey = job ? runKeyOf(job) : '';

  useEffect(() => {
    if (jobId === undefined) return;
    const request = ++asked.current;
    void call('jobs.runs', { jobId }).then((result) => {
      if (request !== asked.current) return;
      const answeredAt = Date.now();
      setHistory(result.ok ? { jobId, runs: result.value.runs, answeredAt } : { jobId, runs: [], answeredAt, error: result.error.message });
    });
  }, [jobId, runKey]);

  // Any other change of the snapshot: one trailing request within RUNS_REFRESH_MS.
  const refresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (jobId === undefined || refresh.current !== undefined) return;
    refresh.current = setTimeout(() => {
      refresh.current = undefined;
      const request = ++asked.current;
      void call('jobs.runs', { jobId }).then((result) => {
        if (request === asked.current && result.ok) setHistory({ jobId, runs: result.value.runs, answeredAt: Date.now() });
      });
    }, RUNS_REFRESH_MS);
  }, [job, jobId]);
  useEffect(
    () => () => {
      clearTimeout(refresh.current);
      refresh.current = undefined;
    },
    [jobId],
  );

  return history?.jobId === jobId ? history : undefined;
}
