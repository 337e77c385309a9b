import { useAlertsStore } from '../stores/alertsStore';
import { useJobsStore } from '../stores/jobsStore';
import { useLogViewStore } from '../stores/logViewStore';
import { useSelectionStore } from '../stores/selectionStore';

/**
 * What a change in one store means for another, wired once at start. Stores stay ignorant of
 * each other; every such consequence is listed here.
 */
export function linkStores(): void {
  // A newly selected job's log starts out followed and unsearched, whoever changed the selection.
  useSelectionStore.subscribe((state, previous) => {
    if (state.selectedJobId !== previous.selectedJobId) useLogViewStore.getState().reset();
  });
  // Rules and leak flags of removed jobs go with them, however they were removed.
  useJobsStore.subscribe((state, previous) => {
    if (state.jobs !== previous.jobs) forgetRemovedJobs(previous.jobs, state.jobs);
  });
}

/** Both alert maps are small; the job map may not be: walk the small ones. */
function forgetRemovedJobs(before: Record<string, unknown>, after: Record<string, unknown>): void {
  const { rules, leaks, forget } = useAlertsStore.getState();
  const gone = [...Object.keys(rules), ...Object.keys(leaks)].filter((id) => id in before && !(id in after));
  if (gone.length > 0) forget(gone);
}
