import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from '../../stores/downsample';
import { TIME_AXIS_PROPS, tooltipTime } from './timeAxis';

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


/** One live series. Animation is off: with a new point every tick it would never settle. */
export function MetricChart({ label, title, className, points, metric, format, minTop = 0 }: MetricChartProps) {
  const latest = points.length > 0 ? points[points.length - 1]![metric] : undefined;
  return (
    <figure className={`metric-chart ${className}`} aria-label={label} data-points={points.length}>
      <figcaption>
        <span>{title}</span>
        <span className="metric-latest">{latest === undefined ? '—' : format(latest)}</span>
      </figcaption>
      <div className="metric-plot">
        {points.length === 0 ? (
          <p className="empty-note">No samples yet.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={points as SeriesPoint[]} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} strokeDasharray="2 3" />
              <XAxis {...TIME_AXIS_PROPS} />
              <YAxis
                width={64}
                fontSize={11}
                tickFormatter={format}
                domain={[0, (dataMax: number) => Math.max(minTop, dataMax * 1.1)]}
                allowDecimals={false}
              />
              <Tooltip
                isAnimationActive={false}
                labelFormatter={tooltipTime}
                formatter={(value) => [format(Number(value)), title]}
              />
              <Area
                dataKey={metric}
                type="linear"
                stroke="currentColor"
                fill="currentColor"
                fillOpacity={0.15}
                dot={false}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
