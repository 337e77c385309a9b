import { create } from 'zustand';

const NONE: ReadonlySet<string> = new Set();

interface SelectionState {
  /**
   * The current job: the one whose log and detail tabs are shown, and the one the grid's focus
   * is on. Change it through app/selection.ts's selectJob, which also loads the job's details.
   */
  selectedJobId: string | null;
  /**
   * The jobs picked in the grid (shift/ctrl-click, Space, shift+arrows), which bulk actions and
   * row keys act on. Follows the current job while at most one is picked.
   */
  chosen: ReadonlySet<string>;
  /** Where a shift-click or shift+arrow range starts. */
  anchorId: string | null;
  /** With keepChosen, the picked jobs stay as they are whatever their number (a ctrl-click, ctrl+arrows). */
  setSelected(jobId: string | null, keepChosen?: boolean): void;
  /** Replaces the picked jobs (and the range anchor, when given). */
  choose(jobIds: Iterable<string>, anchorId?: string | null): void;
  /** Removed jobs leave the selection. */
  forget(jobIds: readonly string[]): void;
}

export const useSelectionStore = create<SelectionState>()((set) => ({
  selectedJobId: null,
  chosen: NONE,
  anchorId: null,
  setSelected: (selectedJobId, keepChosen = false) =>
    set((state) =>
      // A single pick follows the current job; a multiple one stays until changed on purpose.
      keepChosen || state.chosen.size > 1
        ? { selectedJobId }
        : { selectedJobId, chosen: selectedJobId === null ? NONE : new Set([selectedJobId]), anchorId: selectedJobId },
    ),
  choose: (jobIds, anchorId) =>
    set((state) => ({ chosen: new Set(jobIds), anchorId: anchorId === undefined ? state.anchorId : anchorId })),
  forget: (jobIds) =>
    set((state) => {
      const gone = jobIds.filter((id) => state.chosen.has(id));
      const anchorGone = state.anchorId !== null && jobIds.includes(state.anchorId);
      if (gone.length === 0 && !anchorGone) return state;
      const chosen = new Set(state.chosen);
      for (const id of gone) chosen.delete(id);
      return { chosen, anchorId: anchorGone ? null : state.anchorId };
    }),
}));
