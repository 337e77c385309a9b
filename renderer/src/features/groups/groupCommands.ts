import type { CommandRequest } from '../../../../shared/contract';
import { call } from '../../api/procdeck';
import { useSchedulingStore } from '../../stores/schedulingStore';

/** Changes a group's limit or pause state; returns the error message, if any. */
export async function updateGroup(change: CommandRequest<'groups.update'>): Promise<string | null> {
  const result = await call('groups.update', change);
  if (!result.ok) return result.error.message;
  useSchedulingStore.getState().replaceGroups(result.value.groups);
  return null;
}
