import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes } from '../../format';
import { useMachineStore, type MachinePoint } from '../../stores/machineStore';
import { TIME_AXIS_PROPS, tooltipTime } from '../charts/timeAxis';


const SERIES: readonly { key: keyof MachinePoint; name: string; className: string }[] = [
  { key: 'used', name: 'Used', className: 'memory-used' },
  { key: 'available', name: 'Available', className: 'memory-available' },
  { key: 'swapUsed', name: 'Swap used', className: 'memory-swap' },
];

/** The machine's memory over the last minutes: used, available and swap; animation off for live data. */
export function MemoryChart({ total }: { total: number | undefined }) {
  const points = useMachineStore((state) => state.history);
  return (
    <figure className="machine-chart" aria-label="Machine memory chart" data-points={points.length}>
      <figcaption>Memory{total !== undefined ? ` (of ${formatBytes(total)})` : ''}</figcaption>
      <div className="machine-plot">
        {points.length === 0 ? (
          <p className="empty-note">No samples yet.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} strokeDasharray="2 3" />
              <XAxis {...TIME_AXIS_PROPS} />
              <YAxis width={64} fontSize={11} tickFormatter={formatBytes} domain={[0, total ?? 'auto']} />
              <Tooltip
                isAnimationActive={false}
                labelFormatter={tooltipTime}
                formatter={(value, name) => [formatBytes(Number(value)), name]}
              />
              <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} />
              {SERIES.map((series) => (
                <Line
                  key={series.key}
                  name={series.name}
                  dataKey={series.key}
                  className={series.className}
                  type="linear"
                  stroke="currentColor"
                  strokeWidth={1.4}
                  dot={false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
