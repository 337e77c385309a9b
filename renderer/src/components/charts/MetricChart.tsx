import { memo } from 'react';
import { TimeSeriesChart, type ChartSeries, type ValueAxis } from './TimeSeriesChart';

export interface MetricChartProps<P extends { at: number }> {
  /** The figure's accessible name. */
  label: string;
  title: string;
  /** Sets the chart's colour: series draw in currentColor unless they name their own. */
  className: string;
  points: readonly P[];
  series: readonly ChartSeries<P>[];
  axis: ValueAxis;
  legend?: boolean;
}

/**
 * A captioned live chart. A single series also shows its newest value in the caption; several
 * (one per core, used/available/swap) get a legend when asked. data-points counts the samples
 * drawn, for tests that wait for a chart to fill.
 */
function MetricChartImpl<P extends { at: number }>({ label, title, className, points, series, axis, legend = false }: MetricChartProps<P>) {
  const only = series.length === 1 ? series[0] : undefined;
  const newest = points.length > 0 ? points[points.length - 1] : undefined;
  return (
    <figure className={`metric-chart ${className}`} aria-label={label} data-points={points.length}>
      <figcaption>
        <span>{title}</span>
        {only && <span className="metric-latest">{newest === undefined ? '—' : axis.format(only.value(newest))}</span>}
      </figcaption>
      <div className="metric-plot">
        {points.length === 0 ? <p className="empty-note">No samples yet.</p> : <TimeSeriesChart points={points} series={series} axis={axis} legend={legend} />}
      </div>
    </figure>
  );
}

export const MetricChart = memo(MetricChartImpl) as typeof MetricChartImpl;
