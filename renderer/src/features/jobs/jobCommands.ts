import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import type { SignalName } from '../../../../shared/signals';
import { call } from '../../api/procdeck';
import { applyJobAnswer } from '../../app/jobEventQueue';
import { useDialogStore } from '../../stores/dialogStore';
import { useHostStore } from '../../stores/hostStore';
import { useJobsStore } from '../../stores/jobsStore';
import { pushNotice } from '../../stores/noticesStore';
import { runBulk } from './bulkCommands';

type JobResult = { ok: true; value: { job: JobSnapshot } } | { ok: false; error: ProcdeckErrorPayload };

function jobLabel(jobId: string): string {
  return useJobsStore.getState().jobs[jobId]?.name ?? jobId;
}

/** Shows the job from the answer at once (the pushed event confirms it later), or reports the error. */
function settle(verb: string, jobId: string, result: JobResult): boolean {
  if (result.ok) {
    applyJobAnswer([result.value.job]);
    return true;
  }
  pushNotice('error', `${verb} ${jobLabel(jobId)}: ${result.error.message}`);
  return false;
}

export const stopJob = async (jobId: string) => settle('Stop', jobId, await call('jobs.stop', { jobId }));
export const killJob = async (jobId: string) => settle('Kill', jobId, await call('jobs.kill', { jobId }));
export const pauseJob = async (jobId: string) => settle('Pause', jobId, await call('jobs.pause', { jobId }));
export const resumeJob = async (jobId: string) => settle('Resume', jobId, await call('jobs.resume', { jobId }));
export const restartJob = async (jobId: string) => settle('Restart', jobId, await call('jobs.restart', { jobId }));
export const closeStdin = async (jobId: string) => settle('Close stdin', jobId, await call('jobs.closeStdin', { jobId }));
export const signalJob = async (jobId: string, signal: SignalName) =>
  settle(`Send ${signal} to`, jobId, await call('jobs.signal', { jobId, signal }));

/** Returns the error message, if any, so the caller can show it next to the input. */
export async function writeStdin(jobId: string, data: string): Promise<string | null> {
  const result = await call('jobs.writeStdin', { jobId, data });
  if (!result.ok) return result.error.message;
  applyJobAnswer([result.value.job]);
  return null;
}

/** Pins every process of a running job; returns the error message, if any, for the panel to show. */
export async function setJobAffinity(jobId: string, cores: number[]): Promise<string | null> {
  const result = await call('jobs.setAffinity', { jobId, cores });
  if (!result.ok) return result.error.message;
  applyJobAnswer([result.value.job]);
  return null;
}

/** Renices every process of a running job; returns the error message, if any. */
export async function reniceJob(jobId: string, nice: number): Promise<string | null> {
  const result = await call('jobs.renice', { jobId, nice });
  if (!result.ok) return result.error.message;
  applyJobAnswer([result.value.job]);
  return null;
}

export async function removeJob(jobId: string): Promise<void> {
  const result = await call('jobs.remove', { jobId });
  if (!result.ok) {
    pushNotice('error', `Remove ${jobLabel(jobId)}: ${result.error.message}`);
    return;
  }
  applyJobAnswer([], [jobId]);
}

/** Kill one job or several, after asking when the confirmKill setting says so. */
export function requestKill(jobIds: readonly string[]): void {
  if (jobIds.length === 0) return;
  if (useHostStore.getState().settings.confirmKill) useDialogStore.getState().setKillTargets(jobIds);
  else void killJobs(jobIds);
}

/** One kill request per job; several get one summary. */
export function killJobs(jobIds: readonly string[]): Promise<unknown> {
  return jobIds.length === 1 ? killJob(jobIds[0]!) : runBulk('kill', jobIds);
}

/** Shown at once (a checkbox must not flick back while the host answers), undone if refused. */
export async function setConfirmKill(confirmKill: boolean): Promise<void> {
  const previous = useHostStore.getState().settings;
  useHostStore.getState().setSettings({ ...previous, confirmKill });
  const result = await call('settings.update', { confirmKill });
  if (result.ok) {
    useHostStore.getState().setSettings(result.value);
  } else {
    useHostStore.getState().setSettings(previous);
    pushNotice('error', `Could not save the setting: ${result.error.message}`);
  }
}
