import { useMemo } from 'react';
import { TimeSeriesChart, type ChartSeries, type ValueAxis } from '../../components/charts/TimeSeriesChart';
import { useMachineStore, type MachinePoint } from '../../stores/machineStore';
import { coreColor } from './coreList';

const formatPercent = (value: number) => `${Math.round(value)}%`;
const AXIS: ValueAxis = { format: formatPercent, max: 100, width: 40 };

/** Many cores draw many lines: keep their history shorter so a tick stays cheap to draw. */
const MANY_CORES = 16;
const MANY_CORES_POINTS = 60;

/** Busy % of every core over the last minutes, one line per core. */
export function CoreUsageChart({ coreCount }: { coreCount: number }) {
  const history = useMachineStore((state) => state.history);
  const points = useMemo(() => (coreCount > MANY_CORES ? history.slice(-MANY_CORES_POINTS) : history), [coreCount, history]);
  const series = useMemo(
    (): ChartSeries<MachinePoint>[] =>
      Array.from({ length: coreCount }, (_, core) => ({ name: `core ${core}`, value: (point: MachinePoint) => point.cores[core] ?? 0, color: coreColor(core) })),
    [coreCount],
  );
  return (
    <figure className="core-chart" aria-label="Per-core usage chart" data-points={points.length}>
      <figcaption>Usage per core (%)</figcaption>
      <div className="core-plot">
        {points.length === 0 ? <p className="empty-note">No per-core samples yet.</p> : <TimeSeriesChart points={points} series={series} axis={AXIS} />}
      </div>
    </figure>
  );
}
