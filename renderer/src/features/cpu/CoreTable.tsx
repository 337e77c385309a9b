import { useState } from 'react';
import { formatCoreList, formatPercent } from '../../../../shared/format';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { useMachineStore } from '../../stores/machineStore';
import { setJobAffinity } from '../jobs/jobCommands';
import { coreColor, sameCores } from './coreList';
import { usePinnedJobs } from './usePinnedJobs';

interface CoreTableProps {
  /** The selected job while it runs: the checkboxes edit its affinity. */
  job: JobSnapshot | undefined;
  coreCount: number;
}

const allCores = (count: number) => Array.from({ length: count }, (_, core) => core);

/**
 * One row per core: a checkbox for the selected job's affinity, the core's live usage and
 * the jobs pinned to it. Remounted (by key) when the affinity in force changes, so the
 * checkboxes start from what /proc reports.
 */
export function CoreTable({ job, coreCount }: CoreTableProps) {
  const inForce = job?.cores ?? allCores(coreCount);
  const [draft, setDraft] = useState<number[]>(inForce);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const usage = useMachineStore((state) => state.latest?.cores);
  const pinned = usePinnedJobs(coreCount);

  const toggle = (core: number, checked: boolean) =>
    setDraft((cores) => (checked ? [...cores.filter((c) => c !== core), core] : cores.filter((c) => c !== core)));

  const apply = async () => {
    if (!job) return;
    setBusy(true);
    const failure = await setJobAffinity(job.id, [...draft].sort((a, b) => a - b));
    // On success the job's new affinity remounts this table; on failure it stays to show why.
    setBusy(false);
    setError(failure ?? '');
  };

  return (
    <div className="core-table-wrap">
      <table className="core-table" aria-label="Cores">
        <thead>
          <tr>
            <th scope="col">Core</th>
            <th scope="col">Usage</th>
            <th scope="col">Pinned jobs</th>
          </tr>
        </thead>
        <tbody>
          {allCores(coreCount).map((core) => {
            const busyPercent = usage?.[core];
            return (
              <tr key={core}>
                <th scope="row">
                  <label className="check">
                    <input
                      type="checkbox"
                      disabled={!job}
                      checked={draft.includes(core)}
                      onChange={(event) => toggle(core, event.target.checked)}
                    />
                    <span className="core-swatch" aria-hidden="true" style={{ background: coreColor(core) }} />
                    Core {core}
                  </label>
                </th>
                <td>
                  <div className="core-usage">
                    <span className="usage-bar" aria-hidden="true">
                      <span style={{ width: `${Math.min(100, busyPercent ?? 0)}%` }} />
                    </span>
                    <span className="usage-text">{busyPercent === undefined ? '—' : formatPercent(busyPercent)}</span>
                  </div>
                </td>
                <td className="core-pinned" title={pinned[core]?.map((p) => p.name).join(', ')}>
                  {pinned[core]?.length ? pinned[core].map((p) => p.name).join(', ') : <span className="muted">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="core-apply">
        {job ? (
          <>
            <button
              type="button"
              disabled={busy || draft.length === 0 || sameCores(draft, inForce)}
              title={draft.length === 0 ? 'Check at least one core' : undefined}
              onClick={() => void apply()}
            >
              Apply affinity
            </button>
            <span className="muted" role="status">
              {job.name} may run on {job.cores ? `core${job.cores.length === 1 ? '' : 's'} ${formatCoreList(job.cores)}` : 'any core'}
            </span>
          </>
        ) : (
          <span className="muted">Select a running job to pin it to cores.</span>
        )}
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
