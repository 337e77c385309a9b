import { useMemo } from 'react';
import { useDialogStore } from '../../stores/dialogStore';
import { useSchedulingStore } from '../../stores/schedulingStore';
import { BatchItem } from './BatchItem';
import { useNow } from './useNow';

/** Every batch, newest first, with its progress, times, stop/retry and results. */
export function BatchesPanel() {
  const batches = useSchedulingStore((state) => state.batches);
  const sorted = useMemo(() => Object.values(batches).sort((a, b) => b.createdAt - a.createdAt), [batches]);
  const now = useNow(sorted.some((batch) => batch.finishedAt === undefined));

  return (
    <section className="batches-panel" aria-label="Batches">
      <div className="panel-toolbar">
        <h2>Batches</h2>
        <span className="spacer" />
        <button type="button" onClick={() => useDialogStore.getState().setBatchDialogOpen(true)}>
          New batch…
        </button>
      </div>
      {sorted.length === 0 ? (
        <p className="empty-note">No batches yet. A batch runs many commands through a pool with its own limit.</p>
      ) : (
        <ul className="batch-list">
          {sorted.map((batch) => (
            <BatchItem key={batch.id} batch={batch} now={batch.finishedAt === undefined ? now : 0} />
          ))}
        </ul>
      )}
    </section>
  );
}
