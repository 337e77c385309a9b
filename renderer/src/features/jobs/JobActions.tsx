import { useState } from 'react';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { isFinal } from '../../../../shared/jobState';
import { SIGNALS, type SignalName } from '../../../../shared/signals';
import { pauseJob, removeJob, requestKill, restartJob, resumeJob, signalJob, stopJob } from './jobCommands';

const CAN_STOP = new Set(['queued', 'starting', 'running', 'paused']);
const CAN_KILL = new Set(['queued', 'starting', 'running', 'paused', 'stopping']);
const CAN_SIGNAL = new Set(['running', 'paused', 'stopping']);

/**
 * The per-row controls. Accessible names are exact and stable: tests and screen readers rely
 * on them. None contains another's name ("Send signal" would also match the log's "Send").
 */
export function JobActions({ job }: { job: JobSnapshot }) {
  const [signal, setSignal] = useState<SignalName>('SIGTERM');
  const paused = job.state === 'paused';
  const canSignal = CAN_SIGNAL.has(job.state);
  // A disabled select cannot be opened: listing every signal in every finished row would only
  // add seventeen nodes per row to build while scrolling a long table.
  const signalChoices = canSignal ? SIGNALS : [signal];
  return (
    <div className="job-actions">
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
      <select
        aria-label="Signal"
        value={signal}
        disabled={!canSignal}
        onChange={(event) => setSignal(event.target.value as SignalName)}
      >
        {signalChoices.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <button
        type="button"
        aria-label="Signal"
        title={`Send ${signal} to every process of the job`}
        disabled={!canSignal}
        onClick={() => void signalJob(job.id, signal)}
      >
        Signal
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
    </div>
  );
}
