import { useDialogStore } from '../../stores/dialogStore';
import { isConnected } from '../../api/hostConnection';
import { useHostStore } from '../../stores/hostStore';
import { useJobsStore } from '../../stores/jobsStore';
import { useNavigationStore } from '../../stores/navigationStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { runBulk } from './bulkCommands';
import { pauseJob, removeJob, requestKill, restartJob, resumeJob, stopJob } from './jobCommands';
import { jobAction, type JobActionId } from './rowActions';

/** What row keys and the bulk bar act on: the picked jobs, else the current one. */
export function targetJobIds(): string[] {
  const { chosen, selectedJobId } = useSelectionStore.getState();
  const jobs = useJobsStore.getState().jobs;
  const picked = [...chosen].filter((id) => id in jobs);
  if (picked.length > 0) return picked;
  return selectedJobId !== null && selectedJobId in jobs ? [selectedJobId] : [];
}

/** False while the host is out of reach: what the rows show may be stale, so nothing is sent. */
export const canAct = (): boolean => isConnected(useHostStore.getState().connection);

/**
 * Runs a row action on one job (its own command, errors as a notice) or on several (one
 * request each, one summary). Signal and Clone are for one job at a time.
 */
export function runJobAction(actionId: JobActionId, jobIds: readonly string[]): void {
  if (jobIds.length === 0 || !canAct()) return;
  if (actionId === 'kill') return requestKill(jobIds);
  if (jobIds.length > 1) {
    if (actionId !== 'signal' && actionId !== 'clone') void runBulk(actionId, jobIds);
    return;
  }
  const jobId = jobIds[0]!;
  switch (actionId) {
    case 'stop':
      return void stopJob(jobId);
    case 'restart':
      return void restartJob(jobId);
    case 'pause':
      return void pauseJob(jobId);
    case 'resume':
      return void resumeJob(jobId);
    case 'signal':
      return useDialogStore.getState().setSignalTarget(jobId);
    case 'clone':
      return useNavigationStore.getState().requestLaunchClone(jobId);
    case 'remove':
      return void removeJob(jobId);
  }
}

/** The action a key stands for on these jobs, if any (`p` pauses, or resumes when every one is paused). */
export function actionForKey(key: string, jobIds: readonly string[]): JobActionId | undefined {
  if (key === 'p') {
    const jobs = useJobsStore.getState().jobs;
    return jobIds.length > 0 && jobIds.every((id) => jobs[id]?.state === 'paused') ? 'resume' : 'pause';
  }
  const ids: JobActionId[] = ['stop', 'kill', 'restart', 'signal', 'clone', 'remove'];
  return ids.find((id) => jobAction(id).key === key);
}
