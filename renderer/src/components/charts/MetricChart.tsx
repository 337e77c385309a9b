import { memo, useMemo } from 'react';
import { formatRoundBytes } from '../../lib/clock';
import type { SeriesPoint } from '../../stores/downsample';
import { TimeSeriesChart, type ChartSeries, type ValueAxis } from './TimeSeriesChart';

interface MetricChartProps {
  label: string;
  title: string;
  className: string;
  points: readonly SeriesPoint[];
  metric: 'cpu' | 'rss';
  format: (value: number) => string;
  /** Lowest top of the value axis (100 keeps a mostly idle CPU chart honest). */
  minTop?: number;
}

const VALUE_OF = { cpu: (point: SeriesPoint) => point.cpu, rss: (point: SeriesPoint) => point.rss };
const TICK_FORMAT = { cpu: (value: number) => `${Math.round(value)}%`, rss: formatRoundBytes };

/** One live series of a job or watched process: CPU % or resident memory over time. */
export const MetricChart = memo(function MetricChart({ label, title, className, points, metric, format, minTop = 0 }: MetricChartProps) {
  const latest = points.length > 0 ? points[points.length - 1]![metric] : undefined;
  const series = useMemo((): ChartSeries<SeriesPoint>[] => [{ name: title, value: VALUE_OF[metric], area: true }], [title, metric]);
  const axis = useMemo((): ValueAxis => ({ format, formatTick: TICK_FORMAT[metric], minTop, binary: metric === 'rss', width: 64 }), [format, minTop, metric]);
  return (
    <figure className={`metric-chart ${className}`} aria-label={label} data-points={points.length}>
      <figcaption>
        <span>{title}</span>
        <span className="metric-latest">{latest === undefined ? '—' : format(latest)}</span>
      </figcaption>
      <div className="metric-plot">
        {points.length === 0 ? <p className="empty-note">No samples yet.</p> : <TimeSeriesChart points={points} series={series} axis={axis} />}
      </div>
    </figure>
  );
});
