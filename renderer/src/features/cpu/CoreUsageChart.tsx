import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useSystemStore, type CorePoint } from '../../stores/systemStore';
import { coreColor } from './coreList';
import { TIME_AXIS_PROPS, tooltipTime } from '../charts/timeAxis';

const formatPercent = (value: number) => `${Math.round(value)}%`;

/** Many cores draw many lines: keep their history shorter so a tick stays cheap to draw. */
const MANY_CORES = 16;
const MANY_CORES_POINTS = 60;

/** Busy % of every core over the last minutes, one line per core; animation off for live data. */
export function CoreUsageChart({ coreCount }: { coreCount: number }) {
  const history = useSystemStore((state) => state.history);
  const points = coreCount > MANY_CORES ? history.slice(-MANY_CORES_POINTS) : history;
  return (
    <figure className="core-chart" aria-label="Per-core usage chart" data-points={points.length}>
      <figcaption>Usage per core (%)</figcaption>
      <div className="core-plot">
        {points.length === 0 ? (
          <p className="empty-note">No per-core samples yet.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points as CorePoint[]} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} strokeDasharray="2 3" />
              <XAxis {...TIME_AXIS_PROPS} />
              <YAxis width={40} fontSize={11} domain={[0, 100]} ticks={[0, 50, 100]} tickFormatter={formatPercent} />
              <Tooltip
                isAnimationActive={false}
                labelFormatter={tooltipTime}
                formatter={(value, name) => [formatPercent(Number(value)), name]}
              />
              {Array.from({ length: coreCount }, (_, core) => (
                <Line
                  key={core}
                  name={`core ${core}`}
                  dataKey={(point: CorePoint) => point.cores[core] ?? 0}
                  type="linear"
                  stroke={coreColor(core)}
                  strokeWidth={1.3}
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
