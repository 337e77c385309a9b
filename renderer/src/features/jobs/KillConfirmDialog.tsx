import { useState } from 'react';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { describeCommand } from '../../../../shared/jobSpec';
import { useModalDialog } from '../../components/useModalDialog';
import { useDialogStore } from '../../stores/dialogStore';
import { useJobsStore } from '../../stores/jobsStore';
import { killJobs, setConfirmKill } from './jobCommands';

/** Names listed in the question about several jobs; the rest are counted. */
const NAMES_LISTED = 8;

/** Asks before SIGKILL: it ends every process of the job (or jobs) at once, with no chance to clean up. */
export function KillConfirmDialog() {
  const jobIds = useDialogStore((state) => state.killTargetIds);
  const known = useJobsStore((state) => state.jobs);
  if (jobIds === null) return null;
  const jobs = jobIds.map((id) => known[id]).filter((job): job is JobSnapshot => job !== undefined);
  if (jobs.length === 0) return null;
  return <KillDialogBody key={jobIds.join(',')} jobs={jobs} />;
}

function KillDialogBody({ jobs }: { jobs: readonly JobSnapshot[] }) {
  const dialogRef = useModalDialog();
  const [dontAskAgain, setDontAskAgain] = useState(false);
  const one = jobs.length === 1 ? jobs[0]! : undefined;

  const close = () => useDialogStore.getState().setKillTargets(null);
  const confirm = () => {
    close();
    if (dontAskAgain) void setConfirmKill(false);
    void killJobs(jobs.map((job) => job.id));
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
      <h2 id="kill-title">{one ? `Kill ${one.name}?` : `Kill ${jobs.length} jobs?`}</h2>
      {one ? (
        <p id="kill-description">
          SIGKILL ends every process of this job at once{one.pgid !== undefined ? ` (process group ${one.pgid})` : ''}, with no chance to clean up.{' '}
          <code className="dialog-command">{describeCommand(one.spec.command)}</code>
        </p>
      ) : (
        <p id="kill-description">
          SIGKILL ends every process of each of these jobs at once, with no chance to clean up:{' '}
          {jobs
            .slice(0, NAMES_LISTED)
            .map((job) => job.name)
            .join(', ')}
          {jobs.length > NAMES_LISTED ? `, and ${jobs.length - NAMES_LISTED} more` : ''}.
        </p>
      )}
      <label className="check">
        <input type="checkbox" checked={dontAskAgain} onChange={(event) => setDontAskAgain(event.target.checked)} />
        Don’t ask again
      </label>
      <div className="dialog-buttons">
        <button type="button" onClick={close}>
          Cancel
        </button>
        {/* Focused first: the dialog is the safeguard, Enter after `k` should do what was asked. */}
        <button type="button" className="danger" data-autofocus onClick={confirm}>
          Confirm kill
        </button>
      </div>
    </dialog>
  );
}
