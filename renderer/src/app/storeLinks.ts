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
}
