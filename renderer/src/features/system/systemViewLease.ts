import type { SystemProcessQueryInput } from '../../../../shared/monitoring';
import { call } from '../../api/procdeck';
import { useProcessListStore, type ProcessQuery } from '../../stores/processListStore';

/** Most rows asked for: the grid is virtualised, but the host still sends every row per tick. */
const LIST_LIMIT = 5000;

// The query the host was last asked to list, and whether it has confirmed it: until then a
// tick may still carry the previous query's list, which must not replace a fresher answer.
let wantedKey: string | null = null;
let confirmedKey: string | null = null;

export function toQueryInput(query: ProcessQuery): SystemProcessQueryInput {
  return { sort: query.sort, descending: query.descending, filter: query.filter.trim(), tree: query.tree, limit: LIST_LIMIT };
}

/** True when a tick's process list belongs to the query on screen. */
export function acceptsTickList(): boolean {
  return wantedKey !== null && wantedKey === confirmedKey;
}

/**
 * Opens (or renews) the system view for this query; with `refresh`, also lists the processes
 * right away instead of waiting for the next tick (after a sort or filter change).
 */
export async function openSystemView(query: ProcessQuery, refresh: boolean): Promise<void> {
  const input = toQueryInput(query);
  const key = JSON.stringify(input);
  if (key !== wantedKey) confirmedKey = null;
  wantedKey = key;
  const opened = await call('system.view', { visible: true, processes: input });
  if (wantedKey !== key) return;
  if (!opened.ok) {
    wantedKey = null;
    useProcessListStore.getState().clearList(opened.error.message);
    return;
  }
  confirmedKey = key;
  if (!refresh) return;
  const list = await call('system.processes', input);
  if (list.ok && wantedKey === key) useProcessListStore.getState().applyList(list.value);
}

/** Closes the view: the host stops listing every process on each tick. */
export function closeSystemView(): void {
  wantedKey = confirmedKey = null;
  void call('system.view', { visible: false });
}
