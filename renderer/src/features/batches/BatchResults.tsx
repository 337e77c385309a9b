import { useMemo } from 'react';
import { formatBytes, formatDuration } from '../../../../shared/format';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { describeCommand } from '../../../../shared/jobSpec';
import { isFinal } from '../../../../shared/jobState';
import type { BatchProgress } from '../../../../shared/scheduling';
import { selectJob } from '../../app/selection';
import { useJobsStore } from '../../stores/jobsStore';
import { describeJobState } from '../../../../shared/jobStateText';

type Outcome = 'failed' | 'running' | 'queued' | 'done' | 'removed';

interface ResultRow {
  index: number;
  jobId: string;
  job: JobSnapshot | undefined;
  outcome: Outcome;
}

function outcomeOf(job: JobSnapshot | undefined): Outcome {
  if (!job) return 'removed';
  if (job.state === 'queued') return 'queued';
  if (!isFinal(job.state)) return 'running';
  return job.state === 'exited' && job.exitCode === 0 ? 'done' : 'failed';
}

/** Exit code, or how else the item ended. */
function exitOf(job: JobSnapshot | undefined): string {
  if (!job || !isFinal(job.state)) return '';
  if (job.state === 'exited') return job.exitCode !== undefined ? String(job.exitCode) : (job.signal ?? '');
  return describeJobState(job);
}

function durationOf(job: JobSnapshot | undefined): string {
  if (job?.startedAt === undefined || job.endedAt === undefined) return '';
  return formatDuration(job.endedAt - job.startedAt);
}

/** Every item of a batch, failures first, then in submission order. A click selects the item's job. */
export function BatchResults({ batch, id }: { batch: BatchProgress; id: string }) {
  const jobs = useJobsStore((state) => state.jobs);
  const rows = useMemo<ResultRow[]>(() => {
    const list = batch.jobIds.map((jobId, index) => {
      const job = jobs[jobId];
      return { index, jobId, job, outcome: outcomeOf(job) };
    });
    return list.sort((a, b) => (a.outcome === 'failed' ? 0 : 1) - (b.outcome === 'failed' ? 0 : 1) || a.index - b.index);
  }, [batch.jobIds, jobs]);

  return (
    <table id={id} className="batch-results" aria-label={`Results of ${batch.name}`}>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Item</th>
          <th scope="col">Exit</th>
          <th scope="col">Duration</th>
          <th scope="col">Output</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.jobId}
            data-outcome={row.outcome}
            onClick={() => row.job && selectJob(row.jobId)}
            title={row.job ? `${row.outcome}: ${describeJobState(row.job)}` : 'removed from the list'}
          >
            <td className="numeric">{row.index + 1}</td>
            <td className="mono batch-item">{row.job ? describeCommand(row.job.spec.command) : 'removed'}</td>
            <td className="numeric">{row.outcome === 'running' || row.outcome === 'queued' ? row.outcome : exitOf(row.job)}</td>
            <td className="numeric">{durationOf(row.job)}</td>
            <td className="numeric">{row.job ? formatBytes(row.job.outputBytes) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
