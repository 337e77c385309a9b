import { useHostStore } from '../../stores/hostStore';
import { useMachineStore } from '../../stores/machineStore';
import { CoreUsageChart } from '../cpu/CoreUsageChart';
import { MachineFigures } from './MachineFigures';
import { MemoryChart } from './MemoryChart';

/** The machine at a glance: per-core CPU, memory and load, fed by system.tick. */
export function MachinePanel() {
  const infoCores = useHostStore((state) => state.engineInfo?.cores);
  const tickCores = useMachineStore((state) => state.latest?.cores.length);
  const total = useMachineStore((state) => state.latest?.memory.total);
  const coreCount = tickCores ?? infoCores ?? 1;
  return (
    <section className="machine-panel" aria-label="Machine">
      <h2>Machine</h2>
      <MachineFigures />
      <div className="machine-charts">
        <CoreUsageChart coreCount={coreCount} />
        <MemoryChart total={total} />
      </div>
    </section>
  );
}
