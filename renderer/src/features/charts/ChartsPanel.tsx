import './chartsPanel.css';
import { CpuMemoryCharts, sampleSeries } from '../../components/charts/CpuMemoryCharts';
import type { SeriesPoint } from '../../lib/downsample';
import { useSamplesStore } from '../../stores/samplesStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { ChartRangeBar } from './ChartRangeBar';
import { useJobChartSeries } from './useRangedSeries';

const NO_POINTS: readonly SeriesPoint[] = [];
const CPU_TITLE = 'CPU (% of one core)';
const MEMORY_TITLE = 'Memory (RSS)';
const CPU_SERIES = sampleSeries(CPU_TITLE, 'cpu');
const MEMORY_SERIES = sampleSeries(MEMORY_TITLE, 'rss');

/** The selected job's CPU and memory over the chosen range. */
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
          <CpuMemoryCharts
            cpu={{ label: 'CPU chart', title: CPU_TITLE, points, series: CPU_SERIES }}
            memory={{ label: 'Memory chart', title: MEMORY_TITLE, points, series: MEMORY_SERIES }}
          />
        </>
      )}
    </section>
  );
}
