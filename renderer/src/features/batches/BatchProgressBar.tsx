import type { BatchProgress } from '../../../../shared/scheduling';

const SEGMENTS = ['succeeded', 'failed', 'running', 'queued'] as const;

/** Done, failed, running and queued items as one stacked bar; its value is the items finished. */
export function BatchProgressBar({ batch }: { batch: BatchProgress }) {
  const finished = batch.succeeded + batch.failed;
  const total = Math.max(1, batch.total);
  return (
    <div
      role="progressbar"
      className="batch-bar"
      aria-label={`Progress of ${batch.name}`}
      aria-valuemin={0}
      aria-valuemax={batch.total}
      aria-valuenow={finished}
      aria-valuetext={`${finished} of ${batch.total} finished: ${batch.succeeded} done, ${batch.failed} failed, ${batch.running} running, ${batch.queued} queued`}
    >
      {SEGMENTS.map((segment) =>
        batch[segment] > 0 ? (
          <span key={segment} className="batch-bar-part" data-part={segment} style={{ width: `${(batch[segment] / total) * 100}%` }} />
        ) : null,
      )}
    </div>
  );
}
