import { formatCoreList } from '../../../../shared/format';
import { isActive } from '../../../../shared/jobState';
import { CpuChart } from '../../components/charts/CpuMemoryCharts';
import { useHostStore } from '../../stores/hostStore';
import { useJobsStore } from '../../stores/jobsStore';
import { useMachineStore } from '../../stores/machineStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { useMachineFiguresLease } from '../../app/useMachineFiguresLease';
import { CoreTable } from './CoreTable';
import { NiceControl } from './NiceControl';
import { useCoreUsageChart } from './useCoreUsageChart';

/** Per-core usage, which jobs are pinned where, and the selected job's affinity and nice. */
export function CpuPanel() {
  useMachineFiguresLease();
  const infoCores = useHostStore((state) => state.engineInfo?.cores);
  const tickCores = useMachineStore((state) => state.latest?.cores.length);
  const coreCount = infoCores ?? tickCores ?? 1;
  const coreUsage = useCoreUsageChart(coreCount);
  const selectedJobId = useSelectionStore((state) => state.selectedJobId);
  const job = useJobsStore((state) => (selectedJobId === null ? undefined : state.jobs[selectedJobId]));
  const running = job && isActive(job.state) && job.pid !== undefined ? job : undefined;
  const coresKey = running?.cores ? formatCoreList(running.cores) : 'any';

  return (
    <section className="cpu-panel" aria-label="CPU cores">
      <CpuChart {...coreUsage} />
      <CoreTable key={`${running?.id ?? 'none'}:${coresKey}`} job={running} coreCount={coreCount} />
      {running && <NiceControl key={`${running.id}:${running.niceInForce ?? ''}`} job={running} />}
    </section>
  );
}
