import { useState } from 'react';
import { describeCommand } from '../../../../shared/jobSpec';
import { useModalDialog } from '../../components/useModalDialog';
import { useDialogStore } from '../../stores/dialogStore';
import { useJobsStore } from '../../stores/jobsStore';
import { killJob, setConfirmKill } from './jobCommands';

/** Asks before SIGKILL: it ends every process of the job at once, with no chance to clean up. */
export function KillConfirmDialog() {
  const jobId = useDialogStore((state) => state.killTargetId);
  const job = useJobsStore((state) => (jobId === null ? undefined : state.jobs[jobId]));
  if (jobId === null || !job) return null;
  return <KillDialogBody key={jobId} jobId={jobId} name={job.name} command={describeCommand(job.spec.command)} pgid={job.pgid} />;
}

function KillDialogBody({ jobId, name, command, pgid }: { jobId: string; name: string; command: string; pgid?: number }) {
  const dialogRef = useModalDialog();
  const [dontAskAgain, setDontAskAgain] = useState(false);


  const close = () => useDialogStore.getState().setKillTarget(null);
  const confirm = () => {
    close();
    if (dontAskAgain) void setConfirmKill(false);
    void killJob(jobId);
  };

  return (
    <dialog
      ref={dialogRef}
      role="alertdialog"
      aria-labelledby="kill-title"
      aria-describedby="kill-description"
      className="dialog"
      onClose={close}
    >
      <h2 id="kill-title">Kill {name}?</h2>
      <p id="kill-description">
        SIGKILL ends every process of this job at once{pgid !== undefined ? ` (process group ${pgid})` : ''}, with no
        chance to clean up. <code className="dialog-command">{command}</code>
      </p>
      <label className="check">
        <input type="checkbox" checked={dontAskAgain} onChange={(event) => setDontAskAgain(event.target.checked)} />
        Don’t ask again
      </label>
      <div className="dialog-buttons">
        <button type="button" onClick={close}>
          Cancel
        </button>
        {/* Focused first: the dialog is the safeguard, Enter after `k` should do what was asked. */}
        <button type="button" className="danger" autoFocus onClick={confirm}>
          Confirm kill
        </button>
      </div>
    </dialog>
  );
}
