import { useMemo } from 'react';
import { formatBytes, formatRoundBytes } from '../../lib/clock';
import { useMachineStore, type MachinePoint } from '../../stores/machineStore';
import { TimeSeriesChart, type ChartSeries, type ValueAxis } from '../../components/charts/TimeSeriesChart';

const SERIES: readonly ChartSeries<MachinePoint>[] = [
  { name: 'Used', value: (point) => point.used, className: 'memory-used' },
  { name: 'Available', value: (point) => point.available, className: 'memory-available' },
  { name: 'Swap used', value: (point) => point.swapUsed, className: 'memory-swap' },
];

/** The machine's memory over the last minutes: used, available and swap. */
export function MemoryChart({ total }: { total: number | undefined }) {
  const points = useMachineStore((state) => state.history);
  const axis = useMemo((): ValueAxis => ({ format: formatBytes, formatTick: formatRoundBytes, max: total, binary: true, width: 64 }), [total]);
  return (
    <figure className="machine-chart" aria-label="Machine memory chart" data-points={points.length}>
      <figcaption>Memory{total !== undefined ? ` (of ${formatBytes(total)})` : ''}</figcaption>
      <div className="machine-plot">
        {points.length === 0 ? <p className="empty-note">No samples yet.</p> : <TimeSeriesChart points={points} series={SERIES} axis={axis} legend />}
      </div>
    </figure>
  );
}
