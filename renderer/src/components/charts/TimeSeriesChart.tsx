import { memo, useMemo, useState, type PointerEvent } from 'react';
import { formatTimeOfDay } from '../../lib/clock';
import { linearScale, nearestIndex, timeAxisLabels, valueTicks } from './chartScale';
import { useElementSize } from './useElementSize';

export interface ChartSeries<P> {
  name: string;
  value: (point: P) => number;
  /** A CSS colour; without it the series draws in the chart's currentColor (set by className). */
  color?: string;
  className?: string;
  /** Fill the area under the line. */
  area?: boolean;
}

export interface ValueAxis {
  /** Tick labels, the tooltip and the caption's newest value alike (round ticks read round: "25 %", "256 MiB"). */
  format: (value: number) => string;
  /** Fixed top of the axis; otherwise the data's maximum with a little headroom. */
  max?: number;
  /** Lowest top when the axis follows the data (100 keeps a mostly idle CPU chart honest). */
  minTop?: number;
  /** Round ticks in powers of 1024 (bytes). */
  binary?: boolean;
  width: number;
}

interface TimeSeriesChartProps<P extends { at: number }> {
  points: readonly P[];
  series: readonly ChartSeries<P>[];
  axis: ValueAxis;
  legend?: boolean;
}

const MARGIN = { top: 6, right: 10, bottom: 18 };
/** Pixels per time label: a time of day is about 70 px at 11 px, plus room between them. */
const TIME_LABEL_SPACING = 80;
const VALUE_TICK_SPACING = 28;

/**
 * A live time series as plain SVG: paths computed in one pass, round ticks computed rather
 * than measured, no animation. A live chart re-renders on every sample, so its cost is the
 * UI's cost; this one is a handful of DOM nodes whatever the number of points.
 */
function TimeSeriesChartImpl<P extends { at: number }>({ points, series, axis, legend = false }: TimeSeriesChartProps<P>) {
  const [ref, { width, height }] = useElementSize<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const left = axis.width;
  const plotWidth = Math.max(0, width - left - MARGIN.right);
  const plotHeight = Math.max(0, height - MARGIN.top - MARGIN.bottom);

  const drawing = useMemo(() => {
    if (points.length === 0 || plotWidth <= 0 || plotHeight <= 0) return undefined;
    const from = points[0]!.at;
    const to = Math.max(points[points.length - 1]!.at, from + 1000);
    let dataMax = 0;
    for (const line of series) for (const point of points) dataMax = Math.max(dataMax, line.value(point));
    const wantedTop = axis.max ?? Math.max(axis.minTop ?? 0, dataMax * 1.1);
    const roundTicks = valueTicks(wantedTop, Math.max(1, Math.floor(plotHeight / VALUE_TICK_SPACING)), axis.binary);
    // A fixed top (100 %, the machine's memory) stays the top; a data-driven one rounds up to a tick.
    const yTicks = axis.max === undefined ? roundTicks : roundTicks.filter((tick) => tick <= wantedTop);
    const top = Math.max(axis.max ?? yTicks[yTicks.length - 1]!, Number.MIN_VALUE);
    const x = linearScale([from, to], [left, left + plotWidth]);
    const y = linearScale([0, top], [MARGIN.top + plotHeight, MARGIN.top]);
    const paths = series.map((line) => {
      let d = '';
      for (let i = 0; i < points.length; i++) {
        const point = points[i]!;
        d += `${i === 0 ? 'M' : 'L'}${x(point.at).toFixed(1)},${y(Math.min(top, line.value(point))).toFixed(1)}`;
      }
      // A single sample still shows: as a short flat line at its value.
      if (points.length === 1) d += `L${(left + plotWidth).toFixed(1)},${y(Math.min(top, line.value(points[0]!))).toFixed(1)}`;
      const fill = line.area ? `${d}L${x(points.length === 1 ? to : points[points.length - 1]!.at).toFixed(1)},${y(0)}L${x(from).toFixed(1)},${y(0)}Z` : undefined;
      return { d, fill };
    });
    const timeLabels = timeAxisLabels(x, [left, left + plotWidth], Math.max(1, Math.floor(plotWidth / TIME_LABEL_SPACING)), formatTimeOfDay);
    return { x, y, yTicks, timeLabels, paths, times: points.map((point) => point.at) };
  }, [points, series, axis.max, axis.minTop, axis.binary, left, plotWidth, plotHeight]);

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!drawing) return;
    const bounds = event.currentTarget.getBoundingClientRect();
    const at = drawing.x.domain[0] + ((event.clientX - bounds.left - left) / plotWidth) * (drawing.x.domain[1] - drawing.x.domain[0]);
    setHover(nearestIndex(drawing.times, at));
  };

  const hovered = hover !== null && drawing ? points[Math.min(hover, points.length - 1)] : undefined;
  return (
    <div className="ts-chart">
      <div ref={ref} className="ts-plot">
        {drawing && (
          <svg width={width} height={height} className="ts-svg" aria-hidden="true" onPointerMove={onPointerMove} onPointerLeave={() => setHover(null)}>
            <g className="ts-grid">
              {drawing.yTicks.map((tick) => (
                <line key={tick} x1={left} x2={left + plotWidth} y1={drawing.y(tick)} y2={drawing.y(tick)} />
              ))}
            </g>
            <g className="ts-axis">
              {drawing.yTicks.map((tick) => (
                <text key={tick} x={left - 6} y={drawing.y(tick)} textAnchor="end" dominantBaseline="middle">
                  {axis.format(tick)}
                </text>
              ))}
              {drawing.timeLabels.map((label) => (
                <text key={label.at} x={label.x} y={height - 4} textAnchor={label.anchor}>
                  {label.text}
                </text>
              ))}
            </g>
            {series.map((line, i) => (
              <g key={line.name} className={line.className} style={line.color ? { color: line.color } : undefined}>
                {drawing.paths[i]!.fill && <path className="ts-area" d={drawing.paths[i]!.fill} />}
                <path className="ts-line" d={drawing.paths[i]!.d} />
              </g>
            ))}
            {hovered && <line className="ts-cursor" x1={drawing.x(hovered.at)} x2={drawing.x(hovered.at)} y1={MARGIN.top} y2={MARGIN.top + plotHeight} />}
          </svg>
        )}
        {hovered && drawing && (
          <div className="ts-tooltip" style={{ left: Math.min(drawing.x(hovered.at) + 8, Math.max(0, width - 150)) }}>
            <div>{formatTimeOfDay(hovered.at)}</div>
            {series.map((line) => (
              <div key={line.name} className={line.className} style={line.color ? { color: line.color } : undefined}>
                {line.name}: {axis.format(line.value(hovered))}
              </div>
            ))}
          </div>
        )}
      </div>
      {legend && (
        <ul className="ts-legend">
          {series.map((line) => (
            <li key={line.name} className={line.className} style={line.color ? { color: line.color } : undefined}>
              {line.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const TimeSeriesChart = memo(TimeSeriesChartImpl) as typeof TimeSeriesChartImpl;
