import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { isFinal } from '../../../../shared/jobState';
import { useDialogStore } from '../../stores/dialogStore';
import { useConnected } from '../../stores/hostStore';
import { pauseJob, removeJob, requestKill, restartJob, resumeJob, stopJob } from './jobCommands';

const CAN_STOP = new Set(['queued', 'starting', 'running', 'paused']);
const CAN_KILL = new Set(['queued', 'starting', 'running', 'paused', 'stopping']);
const CAN_SIGNAL = new Set(['running', 'paused', 'stopping']);

/**
 * The per-row controls. Accessible names are exact and stable: tests and screen readers rely
 * on them. Signal opens one shared dialog rather than holding a select per row: rows are
 * rebuilt on every sort and scroll, and seventeen options per running row made that slow.
 */
export function JobActions({ job }: { job: JobSnapshot }) {
  // Disconnected, the row's state is only what was last seen: no action can be offered on it.
  const offline = !useConnected();
  const paused = job.state === 'paused';
  const canSignal = CAN_SIGNAL.has(job.state);
  return (
    <fieldset className="job-actions" disabled={offline} title={offline ? 'Not connected to Procdeck: the state shown is as last seen' : undefined}>
      <button type="button" aria-label="Stop" disabled={!CAN_STOP.has(job.state)} onClick={() => void stopJob(job.id)}>
        Stop
      </button>
      <button
        type="button"
        className="danger"
        aria-label="Kill"
        disabled={!CAN_KILL.has(job.state)}
        onClick={() => requestKill(job.id)}
      >
        Kill
      </button>
      <button type="button" aria-label="Restart" onClick={() => void restartJob(job.id)}>
        Restart
      </button>
      {paused ? (
        <button type="button" aria-label="Resume" onClick={() => void resumeJob(job.id)}>
          Resume
        </button>
      ) : (
        <button
          type="button"
          aria-label="Pause"
          disabled={job.state !== 'running'}
          onClick={() => void pauseJob(job.id)}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        aria-label="Signal"
        title="Send a signal to every process of the job"
        disabled={!canSignal}
        onClick={() => useDialogStore.getState().setSignalTarget(job.id)}
      >
        Signal…
      </button>
      <button
        type="button"
        className="quiet"
        aria-label="Remove"
        title="Remove from the list"
        disabled={!isFinal(job.state)}
        onClick={(event) => {
          event.stopPropagation();
          void removeJob(job.id);
        }}
      >
        ✕
      </button>
    </fieldset>
  );
}
