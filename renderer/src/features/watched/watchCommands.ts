import { call } from '../../api/procdeck';
import { useAlertsStore } from '../../stores/alertsStore';
import { pushNotice } from '../../stores/noticesStore';
import { MAX_WATCH_POINTS, useWatchStore } from '../../stores/watchStore';

/** A watched process's samples so far (e.g. after a reload), merged under the live ones. */
export async function loadWatchHistory(id: string): Promise<void> {
  const result = await call('monitor.history', { subjectId: id, range: 'run', maxPoints: MAX_WATCH_POINTS });
  if (result.ok) useWatchStore.getState().loadedHistory(id, result.value.points);
}

export async function stopWatching(id: string): Promise<void> {
  const result = await call('watch.remove', { id });
  if (!result.ok) {
    pushNotice('error', `Stop watching: ${result.error.message}`);
    return;
  }
  useWatchStore.getState().remove(id);
  useAlertsStore.getState().forget([id]);
}
