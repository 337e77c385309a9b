import { useState } from 'react';
import { describeCommand } from '../../../../shared/jobSpec';
import type { SignalName } from '../../../../shared/signals';
import { SignalPicker } from '../../components/SignalPicker';
import { useModalDialog } from '../../components/useModalDialog';
import { useDialogStore } from '../../stores/dialogStore';
import { useJobsStore } from '../../stores/jobsStore';
import { signalJob } from './jobCommands';

// The last signal sent is offered again: an operator sending SIGUSR1 to several jobs in a row
// should not have to pick it each time.
let lastSignal: SignalName = 'SIGTERM';

/** Sends any signal to every process of a job, from its row's Signal button. */
export function JobSignalDialog() {
  const jobId = useDialogStore((state) => state.signalTargetId);
  const job = useJobsStore((state) => (jobId === null ? undefined : state.jobs[jobId]));
  if (jobId === null || !job) return null;
  return <SignalDialogBody key={jobId} jobId={jobId} name={job.name} command={describeCommand(job.spec.command)} pgid={job.pgid} />;
}

function SignalDialogBody({ jobId, name, command, pgid }: { jobId: string; name: string; command: string; pgid?: number }) {
  const dialogRef = useModalDialog();
  const [signal, setSignal] = useState<SignalName>(lastSignal);


  const close = () => useDialogStore.getState().setSignalTarget(null);
  const send = () => {
    lastSignal = signal;
    close();
    void signalJob(jobId, signal);
  };

  return (
    <dialog ref={dialogRef} aria-labelledby="signal-title" aria-describedby="signal-description" className="dialog" onClose={close}>
      <h2 id="signal-title">Send a signal to {name}</h2>
      <p id="signal-description">
        Every process of the job{pgid !== undefined ? ` (process group ${pgid})` : ''} gets it. <code className="dialog-command">{command}</code>
      </p>
      <SignalPicker value={signal} onChange={setSignal} />
      <div className="dialog-buttons">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className={signal === 'SIGKILL' ? 'danger' : undefined} onClick={send}>
          Send {signal}
        </button>
      </div>
    </dialog>
  );
}
