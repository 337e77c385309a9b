import { MetricChart } from '../../components/charts/MetricChart';
import { formatBytes, formatCpu } from '../../lib/clock';
import type { SeriesPoint } from '../../stores/downsample';
import { useSamplesStore } from '../../stores/samplesStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { ChartRangeBar } from './ChartRangeBar';
import { useJobChartSeries } from './useRangedSeries';

const NO_POINTS: readonly SeriesPoint[] = [];
const formatPercent = (value: number) => `${formatCpu(value)}%`;

export function ChartsPanel() {
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const series = useSamplesStore((state) => (selectedJobId === null ? undefined : state.series[selectedJobId]));
  const points = useJobChartSeries(selectedJobId, Array.isArray(series) ? series : NO_POINTS);

  return (
    <section className="charts-panel" aria-label="Charts">
      {selectedJobId === null ? (
        <p className="empty-note">Select a job to see its CPU and memory.</p>
      ) : (
        <>
          <ChartRangeBar jobId={selectedJobId} />
          <MetricChart
            label="CPU chart"
            title="CPU (% of one core)"
            className="cpu-chart"
            points={points}
            metric="cpu"
            format={formatPercent}
            minTop={100}
          />
          <MetricChart
            label="Memory chart"
            title="Memory (RSS)"
            className="memory-chart"
            points={points}
            metric="rss"
            format={formatBytes}
          />
        </>
      )}
    </section>
  );
}
