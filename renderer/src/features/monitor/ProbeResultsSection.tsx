import { formatDuration } from '../../../../shared/format';
import type { JobHealth, ProbeHealth } from '../../../../shared/jobSnapshot';
import { formatTimeOfDay } from '../../lib/clock';

const ROLE_TITLE = { readiness: 'Readiness', liveness: 'Liveness' } as const;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const tookText = (ms: number) => (ms < 1 ? '< 1 ms' : formatDuration(ms));

/** What moves the probe's state, in words: "ready after 2 successes in a row" / "restarted after 3 failures in a row". */
function thresholdsText(probe: ProbeHealth): string {
  const { successThreshold, failureThreshold } = probe.timing;
  const good = probe.role === 'readiness' ? 'ready' : 'healthy';
  const bad = probe.role === 'readiness' ? 'unhealthy (once it was ready)' : 'unhealthy and restarted under its restart policy';
  return `${good} after ${plural(successThreshold, 'success')} in a row, ${bad} after ${plural(failureThreshold, 'failure')} in a row`;
}

function streakText(probe: ProbeHealth): string {
  const { successes, failures } = probe.streak;
  if (successes > 0) return `${plural(successes, 'success')} in a row`;
  if (failures > 0) return `${plural(failures, 'failure')} in a row`;
  return 'not probed yet';
}

/** One probe of the live run: its target, state, timing and thresholds, and its last results (newest first). */
function ProbeTable({ probe }: { probe: ProbeHealth }) {
  const title = ROLE_TITLE[probe.role];
  const { intervalMs, timeoutMs, initialDelayMs } = probe.timing;
  return (
    <section className="monitor-section probe-section" aria-label={`${title} probe`}>
      <h4>
        {title}: {probe.target}
      </h4>
      <dl className="probe-facts">
        <div>
          <dt>State</dt>
          <dd data-health={probe.state}>
            {probe.state} since {formatTimeOfDay(probe.since)} ({streakText(probe)})
          </dd>
        </div>
        {probe.reason !== undefined && (
          <div>
            <dt>Last change</dt>
            <dd>{probe.reason}</dd>
          </div>
        )}
        <div>
          <dt>Timing</dt>
          <dd>
            every {formatDuration(intervalMs)}, timeout {formatDuration(timeoutMs)}, first after {formatDuration(initialDelayMs)}
          </dd>
        </div>
        <div>
          <dt>Thresholds</dt>
          <dd>{thresholdsText(probe)}</dd>
        </div>
      </dl>
      {probe.results.length === 0 ? (
        <p className="muted">No result yet.</p>
      ) : (
        <div className="alert-table-wrap">
          <table className="alert-table probe-results">
            <caption className="visually-hidden">Last {title.toLowerCase()} results, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Result</th>
                <th scope="col" className="numeric">
                  Took
                </th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {[...probe.results].reverse().map((result, index) => (
                <tr key={`${result.at}:${index}`} data-ok={result.ok}>
                  <td>{formatTimeOfDay(result.at)}</td>
                  <td>{result.ok ? 'passed' : 'failed'}</td>
                  <td className="numeric">{tookText(result.durationMs)}</td>
                  <td className="probe-message" title={result.message}>
                    {result.message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A declared service's health while its run is live: the overall state, then each probe with its last results. */
export function ProbeResultsSection({ health }: { health: JobHealth }) {
  return (
    <section className="monitor-section" aria-label="Health">
      <h3>
        Health: <span data-health={health.state}>{health.state}</span>
      </h3>
      {health.readiness && <ProbeTable probe={health.readiness} />}
      {health.liveness && <ProbeTable probe={health.liveness} />}
    </section>
  );
}
