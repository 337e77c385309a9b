import { selectJob, selectOnly } from '../../app/selection';
import { useSelectionStore } from '../../stores/selectionStore';
import { jobIdsBetween, jobsOfRow, type GridRow } from './gridRows';

/** How a move or a click picks: that row only, a range from the anchor to it, or no change to the pick (focus only). */
export type PickMode = 'only' | 'extend' | 'focus';

function indexOfJob(rows: readonly GridRow[], jobId: string | null): number {
  if (jobId === null) return -1;
  const own = rows.findIndex((row) => row.key === jobId);
  return own >= 0 ? own : rows.findIndex((row) => row.kind === 'batch' && row.items.some((job) => job.id === jobId));
}

/** Picks rows of the Jobs grid the way a move or a click asks (`activeIndex`: the row the move started from). */
export function pickRows(rows: readonly GridRow[], index: number, how: PickMode, activeIndex: number): void {
  const row = rows[index];
  if (!row) return;
  const selection = useSelectionStore.getState();
  if (how === 'extend') {
    const anchor = indexOfJob(rows, selection.anchorId);
    selection.choose(jobIdsBetween(rows, anchor >= 0 ? anchor : Math.max(0, activeIndex), index), anchor >= 0 ? selection.anchorId : (jobsOfRow(rows[Math.max(0, activeIndex)]!)[0]?.id ?? null));
    if (row.kind === 'job') selectJob(row.job.id, true);
    return;
  }
  if (how === 'focus') {
    if (row.kind === 'job') selectJob(row.job.id, true);
    return;
  }
  if (row.kind === 'job') selectOnly(row.job.id);
  else {
    // A folded batch stands for its items: picking it picks them all, and no single job is current.
    selection.choose(row.items.map((job) => job.id), row.items[0]?.id ?? null);
    selectJob(null, true);
  }
}

/** Space or ctrl-click: the row's jobs in or out of the pick (a batch's all together). */
export function togglePicked(rows: readonly GridRow[], index: number): void {
  const row = rows[index];
  if (!row) return;
  const selection = useSelectionStore.getState();
  const ids = jobsOfRow(row).map((job) => job.id);
  const allPicked = ids.every((id) => selection.chosen.has(id));
  const next = new Set(selection.chosen);
  for (const id of ids) {
    if (allPicked) next.delete(id);
    else next.add(id);
  }
  selection.choose(next, ids[0] ?? null);
  if (row.kind === 'job') selectJob(row.job.id, true);
}
