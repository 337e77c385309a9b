import { useEffect } from 'react';
import { focusField } from '../../lib/keyboard';
import { useHostStore } from '../../stores/hostStore';
import { useJobsStore } from '../../stores/jobsStore';
import { useNavigationStore } from '../../stores/navigationStore';
import { cloneIntoForm, type ClonedForm } from './cloneSpec';

/**
 * Takes a "Clone into the launch form" request (a row action) and hands the filled form to
 * `apply`. Only the form is filled: nothing starts until the operator presses Start.
 */
export function useLaunchClone(apply: (cloned: ClonedForm, sourceName: string) => void, focusId: string): void {
  const request = useNavigationStore((state) => state.launchClone);
  useEffect(() => {
    if (!request) return;
    useNavigationStore.getState().clearLaunchClone();
    const jobs = useJobsStore.getState().jobs;
    const job = jobs[request.jobId];
    if (!job) return;
    const names = Object.fromEntries(Object.values(jobs).map((known) => [known.id, known.name]));
    apply(cloneIntoForm(job, useHostStore.getState().settings.defaultIsolation, names), job.name);
    focusField(focusId);
    // `apply` is a fresh closure each render; only a new request matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);
}
