import { useMemo } from 'react';
import { formatBytes, formatPercent } from '../../../../shared/format';
import type { SeriesPoint } from '../../lib/downsample';
import { MetricChart } from './MetricChart';
import type { ChartSeries, ValueAxis } from './TimeSeriesChart';

/** What one chart of the pair shows. */
export interface ChartSpec<P extends { at: number }> {
  /** The figure's accessible name. */
  label: string;
  title: string;
  points: readonly P[];
  series: readonly ChartSeries<P>[];
  /** A fixed top of the value axis (100 % per core, the machine's memory); otherwise it follows the data. */
  max?: number;
  legend?: boolean;
}

/** Both axes are this wide, so a pair stacked one above the other lines up. */
const AXIS_WIDTH = 64;

/** CPU %, with 100 % always on the axis: a mostly idle chart must not look busy. */
export function CpuChart<P extends { at: number }>({ max, ...spec }: ChartSpec<P>) {
  const axis = useMemo((): ValueAxis => ({ format: formatPercent, max, minTop: 100, width: AXIS_WIDTH }), [max]);
  return <MetricChart {...spec} className="cpu-chart" axis={axis} />;
}

/** Memory in bytes, on round binary ticks (256 MiB, 1.5 GiB). */
export function MemoryChart<P extends { at: number }>({ max, ...spec }: ChartSpec<P>) {
  const axis = useMemo((): ValueAxis => ({ format: formatBytes, max, binary: true, width: AXIS_WIDTH }), [max]);
  return <MetricChart {...spec} className="memory-chart" axis={axis} />;
}

/**
 * CPU and memory over time, drawn the same way wherever they are shown: a job's Charts tab, a
 * watched process's card, the machine in the System view. The container lays the two out.
 */
export function CpuMemoryCharts<C extends { at: number }, M extends { at: number }>({ cpu, memory }: { cpu: ChartSpec<C>; memory: ChartSpec<M> }) {
  return (
    <>
      <CpuChart {...cpu} />
      <MemoryChart {...memory} />
    </>
  );
}

/** The one series of a job's or a process's chart (its tree's CPU or resident memory), named as captioned. */
export function sampleSeries(name: string, metric: 'cpu' | 'rss'): readonly ChartSeries<SeriesPoint>[] {
  return [{ name, value: metric === 'cpu' ? (point) => point.cpu : (point) => point.rss, area: true }];
}
