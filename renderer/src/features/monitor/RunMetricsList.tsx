import { useEffect, useState } from 'react';
import { formatBytes, formatDuration, formatPercent } from '../../../../shared/format';
import type { RunMetrics } from '../../../../shared/monitoring';
import { call } from '../../api/procdeck';

/** Totals of a run that has ended; asked once per run end (`runKey` changes with it). */
export function RunMetricsList({ subjectId, runKey }: { subjectId: string; runKey: string }) {
  const [state, setState] = useState<{ key: string; metrics: RunMetrics | null; error?: string } | null>(null);

  useEffect(() => {
    let live = true;
    void call('monitor.runMetrics', { subjectId }).then((result) => {
      if (!live) return;
      setState(result.ok ? { key: runKey, metrics: result.value.metrics } : { key: runKey, metrics: null, error: result.error.message });
    });
    return () => {
      live = false;
    };
  }, [subjectId, runKey]);

  if (!state || state.key !== runKey) return <p className="muted">Loading run metrics…</p>;
  if (state.error) return <p className="field-error">Run metrics: {state.error}</p>;
  const metrics = state.metrics;
  if (!metrics) return <p className="muted">No samples were recorded for this run.</p>;
  return (
    <dl className="run-metrics">
      <div>
        <dt>Peak CPU</dt>
        <dd>{formatPercent(metrics.peakCpu)}</dd>
      </div>
      <div>
        <dt>Peak memory</dt>
        <dd>{formatBytes(metrics.peakRss)}</dd>
      </div>
      <div>
        <dt>Total CPU time</dt>
        <dd>{formatDuration(metrics.cpuSeconds * 1000)}</dd>
      </div>
      <div>
        <dt>Output</dt>
        <dd>{formatBytes(metrics.outputBytes)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{formatDuration(metrics.durationMs)}</dd>
      </div>
    </dl>
  );
}
