import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { BatchProgress, BatchRequest } from '../../../../shared/scheduling';
import { call } from '../../api/procdeck';
import { pushNotice } from '../../stores/noticesStore';
import { useSchedulingStore } from '../../stores/schedulingStore';

type BatchResult = { ok: true; value: { batch: BatchProgress } } | { ok: false; error: ProcdeckErrorPayload };

function settle(verb: string, result: BatchResult): boolean {
  if (result.ok) {
    useSchedulingStore.getState().applyBatches([result.value.batch]);
    return true;
  }
  pushNotice('error', `${verb}: ${result.error.message}`);
  return false;
}

/** Submits a batch; the answer's batch is shown at once, and its group's new limit is fetched. */
export async function submitBatch(request: BatchRequest): Promise<{ batch: BatchProgress } | { error: ProcdeckErrorPayload }> {
  const result = await call('batches.submit', request);
  if (!result.ok) return { error: result.error };
  useSchedulingStore.getState().applyBatches([result.value.batch]);
  // The engine set the batch group's limit without a groups.changed event: ask once.
  void call('groups.list', {}).then((groups) => groups.ok && useSchedulingStore.getState().replaceGroups(groups.value.groups));
  return { batch: result.value.batch };
}

export const stopBatch = async (batch: BatchProgress) =>
  settle(`Stop batch ${batch.name}`, await call('batches.stop', { batchId: batch.id }));

export const retryFailed = async (batch: BatchProgress) =>
  settle(`Retry the failed items of ${batch.name}`, await call('batches.retryFailed', { batchId: batch.id }));
