import type { AlertRule, WatchedProcess } from '../../../../shared/monitoring';
import { CpuMemoryCharts, sampleSeries } from '../../components/charts/CpuMemoryCharts';
import { formatClock } from '../../lib/clock';
import type { SeriesPoint } from '../../lib/downsample';
import { useAlertsStore } from '../../stores/alertsStore';
import { useWatchStore } from '../../stores/watchStore';
import { AlertRulesEditor } from '../alerts/AlertRulesEditor';
import { LeakBadge } from '../alerts/LeakBadge';
import { csvFileName, exportCsv } from '../charts/csvExport';
import { stopWatching } from './watchCommands';

const NO_POINTS: readonly SeriesPoint[] = [];
const NO_RULES: readonly AlertRule[] = [];
const CPU_TITLE = 'CPU %';
const MEMORY_TITLE = 'Memory (RSS)';
const CPU_SERIES = sampleSeries(CPU_TITLE, 'cpu');
const MEMORY_SERIES = sampleSeries(MEMORY_TITLE, 'rss');

/** One watched process: its live charts, its alert rules, and Stop watching. */
export function WatchedCard({ watched, today }: { watched: WatchedProcess; today: string }) {
  const points = useWatchStore((state) => state.series[watched.id]) ?? NO_POINTS;
  const rules = useAlertsStore((state) => state.rules[watched.id]) ?? NO_RULES;
  return (
    <article className="watched-card" aria-label={`Watched process ${watched.pid}`} data-ended={watched.endedAt !== undefined}>
      <header className="watched-head">
        <div className="watched-title">
          <span className="watched-pid">{watched.pid}</span>
          <span className="watched-command" title={watched.command}>
            {watched.command}
          </span>
        </div>
        <div className="watched-meta">
          <span className="muted">
            {watched.endedAt === undefined
              ? `since ${formatClock(watched.watchedAt, today)}`
              : `exited ${formatClock(watched.endedAt, today)}`}
          </span>
          <LeakBadge subjectId={watched.id} />
          <span className="spacer" />
          <button type="button" onClick={() => void exportCsv(watched.id, csvFileName(`pid-${watched.pid}`))}>
            Export CSV
          </button>
          <button type="button" onClick={() => void stopWatching(watched.id)}>
            Stop watching
          </button>
        </div>
      </header>
      <div className="watched-charts">
        <CpuMemoryCharts
          cpu={{ label: `CPU chart of ${watched.pid}`, title: CPU_TITLE, points, series: CPU_SERIES }}
          memory={{ label: `Memory chart of ${watched.pid}`, title: MEMORY_TITLE, points, series: MEMORY_SERIES }}
        />
      </div>
      <details className="watched-rules">
        <summary>Alert rules ({rules.length})</summary>
        <AlertRulesEditor key={watched.id} subjectId={watched.id} rules={rules} allowRestart={false} />
      </details>
    </article>
  );
}
