import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { Settings } from '../../../../shared/settings';
import { call } from '../../api/procdeck';
import { useHostStore } from '../../stores/hostStore';

/**
 * Saves settings built from the engine's current ones (read first, so that a field changed
 * elsewhere meanwhile is not written back stale); the store gets what the engine kept.
 */
export async function saveSettings(change: (current: Settings) => Settings): Promise<{ ok: true } | { ok: false; error: ProcdeckErrorPayload; sent?: Settings }> {
  const current = await call('settings.get', {});
  if (!current.ok) return { ok: false, error: current.error };
  const sent = change(current.value);
  const result = await call('settings.update', sent);
  if (!result.ok) return { ok: false, error: result.error, sent };
  useHostStore.getState().setSettings(result.value);
  return { ok: true };
}
