import { formatBytes, formatPercent } from '../../../../shared/format';
import { useMachineStore } from '../../stores/machineStore';

const formatLoad = (load: number) => load.toFixed(2);

/** The latest machine-wide figures: CPU, memory, swap and the 1/5/15-minute load average. */
export function MachineFigures() {
  const latest = useMachineStore((state) => state.latest);
  if (!latest) return <p className="muted">Waiting for the first sample…</p>;
  const { memory, load } = latest;
  return (
    <dl className="machine-figures">
      <div>
        <dt>CPU</dt>
        <dd>{formatPercent(latest.cpu)}</dd>
      </div>
      <div>
        <dt>Memory used</dt>
        <dd>
          {formatBytes(memory.used)} of {formatBytes(memory.total)}
        </dd>
      </div>
      <div>
        <dt>Available</dt>
        <dd>{formatBytes(memory.available)}</dd>
      </div>
      <div>
        <dt>Swap used</dt>
        <dd>{memory.swapTotal === 0 ? 'no swap' : `${formatBytes(memory.swapUsed)} of ${formatBytes(memory.swapTotal)}`}</dd>
      </div>
      <div title="Runnable and waiting processes, averaged over 1, 5 and 15 minutes">
        <dt>Load average</dt>
        <dd>{load.map(formatLoad).join(' · ')}</dd>
      </div>
    </dl>
  );
}
