import { useEffect } from 'react';
import { focusField } from '../../lib/keyboard';
import { useHostStore } from '../../stores/hostStore';
import { useJobsStore } from '../../stores/jobsStore';
import { useNavigationStore } from '../../stores/navigationStore';
import { cloneIntoForm, type ClonedForm } from './cloneSpec';
import { editIntoForm, type DefinitionEdit } from './editSpec';

/** What fills the form: a job's spec, the job it came from, and for an edit the definition it saves back to. */
export interface LaunchFill extends ClonedForm {
  from: string;
  edit?: DefinitionEdit;
}

/**
 * Takes a request to fill the launch form (a row's Clone, a definition's Edit in the Config
 * file dialog) and hands the filled form to `apply`. Only the form is filled: nothing starts
 * or is saved until the operator presses Start or Save definition.
 */
export function useLaunchFill(apply: (fill: LaunchFill) => void, focusId: string): void {
  const request = useNavigationStore((state) => state.launchFill);
  useEffect(() => {
    if (!request) return;
    useNavigationStore.getState().clearLaunchFill();
    const jobs = useJobsStore.getState().jobs;
    const job = jobs[request.jobId];
    if (!job) return;
    const names = Object.fromEntries(Object.values(jobs).map((known) => [known.id, known.name]));
    const defaultLevel = useHostStore.getState().settings.defaultIsolation;
    if (request.mode === 'edit' && job.declared) apply({ ...editIntoForm({ spec: job.spec, declared: job.declared }, defaultLevel, names), from: job.declared.name });
    else apply({ ...cloneIntoForm(job, defaultLevel, names), from: job.name });
    focusField(focusId);
    // `apply` is a fresh closure each render; only a new request matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);
}
