import { formatBytes } from '../../../../shared/format';
import { CpuMemoryCharts } from '../../components/charts/CpuMemoryCharts';
import type { ChartSeries } from '../../components/charts/TimeSeriesChart';
import { useHostStore } from '../../stores/hostStore';
import { useMachineStore, type MachinePoint } from '../../stores/machineStore';
import { useCoreUsageChart } from '../cpu/useCoreUsageChart';
import { MachineFigures } from './MachineFigures';

const MEMORY_SERIES: readonly ChartSeries<MachinePoint>[] = [
  { name: 'Used', value: (point) => point.used, className: 'memory-used' },
  { name: 'Available', value: (point) => point.available, className: 'memory-available' },
  { name: 'Swap used', value: (point) => point.swapUsed, className: 'memory-swap' },
];

/** The machine at a glance: per-core CPU, memory and load, fed by system.tick. */
export function MachinePanel() {
  const infoCores = useHostStore((state) => state.engineInfo?.cores);
  const tickCores = useMachineStore((state) => state.latest?.cores.length);
  const total = useMachineStore((state) => state.latest?.memory.total);
  const history = useMachineStore((state) => state.history);
  const cpu = useCoreUsageChart(tickCores ?? infoCores ?? 1);
  const memory = {
    label: 'Machine memory chart',
    title: `Memory${total !== undefined ? ` (of ${formatBytes(total)})` : ''}`,
    points: history,
    series: MEMORY_SERIES,
    max: total,
    legend: true,
  };
  return (
    <section className="machine-panel" aria-label="Machine">
      <h2>Machine</h2>
      <MachineFigures />
      <div className="machine-charts">
        <CpuMemoryCharts cpu={cpu} memory={memory} />
      </div>
    </section>
  );
}
