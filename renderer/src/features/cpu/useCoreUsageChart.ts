import { useMemo } from 'react';
import type { ChartSpec } from '../../components/charts/CpuMemoryCharts';
import type { ChartSeries } from '../../components/charts/TimeSeriesChart';
import { coreColor } from '../../lib/cores';
import { useMachineStore, type MachinePoint } from '../../stores/machineStore';

/** Many cores draw many lines: keep their history shorter so a tick stays cheap to draw. */
const MANY_CORES = 16;
const MANY_CORES_POINTS = 60;

/** Busy % of every core over the last minutes, one line per core (the CPU tab and the System view). */
export function useCoreUsageChart(coreCount: number): ChartSpec<MachinePoint> {
  const history = useMachineStore((state) => state.history);
  const points = useMemo(() => (coreCount > MANY_CORES ? history.slice(-MANY_CORES_POINTS) : history), [coreCount, history]);
  const series = useMemo(
    (): ChartSeries<MachinePoint>[] =>
      Array.from({ length: coreCount }, (_, core) => ({ name: `core ${core}`, value: (point: MachinePoint) => point.cores[core] ?? 0, color: coreColor(core) })),
    [coreCount],
  );
  return { label: 'Per-core usage chart', title: 'Usage per core (%)', points, series, max: 100 };
}
