import { memo, useState } from 'react';
import { formatDuration } from '../../../../shared/format';
import type { ReceivedBatch } from '../../stores/schedulingStore';
import { retryFailed, stopBatch } from './batchCommands';
import { BatchProgressBar } from './BatchProgressBar';
import { BatchResults } from './BatchResults';

interface BatchItemProps {
  batch: ReceivedBatch;
  /** Browser clock, ticking while any batch runs. */
  now: number;
}

/** Elapsed and time left, moved on from the host's figures by the time since they arrived. */
function describeTimes(batch: ReceivedBatch, now: number): string {
  if (batch.finishedAt !== undefined) return `finished in ${formatDuration(batch.elapsedMs)}`;
  const since = Math.max(0, now - batch.receivedAt);
  const elapsed = `elapsed ${formatDuration(batch.elapsedMs + since)}`;
  if (batch.etaMs === undefined) return `${elapsed} · estimating time left…`;
  return `${elapsed} · about ${formatDuration(Math.max(0, batch.etaMs - since))} left`;
}

export const BatchItem = memo(function BatchItem({ batch, now }: BatchItemProps) {
  const [expanded, setExpanded] = useState(false);
  const [busy, setBusy] = useState(false);
  const titleId = `batch-${batch.id}-title`;
  const resultsId = `batch-${batch.id}-results`;
  const finished = batch.finishedAt !== undefined;
  const run = async (action: () => Promise<boolean>) => {
    setBusy(true);
    await action();
    setBusy(false);
  };

  return (
    <li className="batch" aria-labelledby={titleId} data-finished={finished}>
      <div className="batch-head">
        <h3 id={titleId} title={batch.name}>
          {batch.name}
        </h3>
        <span className="muted" title="Pool group of the batch's items">
          group {batch.group}
        </span>
      </div>
      <BatchProgressBar batch={batch} />
      <p className="batch-counts">
        <span data-part="succeeded">{batch.succeeded} done</span> · <span data-part="failed">{batch.failed} failed</span> ·{' '}
        <span data-part="running">{batch.running} running</span> · <span data-part="queued">{batch.queued} queued</span>
        <span className="muted"> of {batch.total}</span>
      </p>
      <p className="batch-times muted">{describeTimes(batch, now)}</p>
      <div className="batch-buttons">
        <button type="button" disabled={busy || finished} onClick={() => void run(() => stopBatch(batch))}>
          Stop batch
        </button>
        <button type="button" disabled={busy || batch.failed === 0} onClick={() => void run(() => retryFailed(batch))}>
          Retry failed
        </button>
        <button type="button" aria-expanded={expanded} aria-controls={resultsId} onClick={() => setExpanded((open) => !open)}>
          {expanded ? 'Hide results' : 'Show results'}
        </button>
      </div>
      {expanded && <BatchResults batch={batch} id={resultsId} />}
    </li>
  );
});
