import { useMemo, useState } from 'react';
import { formatCoreList, formatPercent } from '../../../../shared/format';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { CorePicker, type CoreColumn } from '../../components/CorePicker';
import { sameCores } from '../../lib/cores';
import { useMachineStore } from '../../stores/machineStore';
import { setJobAffinity } from '../jobs/jobCommands';
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
  const columns = useMemo((): CoreColumn[] => {
    const pinnedNames = (core: number) => pinned[core]?.map((p) => p.name).join(', ');
    return [
      { header: 'Usage', cell: (core) => <CoreUsage percent={usage?.[core]} /> },
      { header: 'Pinned jobs', className: 'core-pinned', title: pinnedNames, cell: (core) => pinnedNames(core) || <span className="muted">—</span> },
    ];
  }, [pinned, usage]);

  const apply = async () => {
    if (!job) return;
    setBusy(true);
    const failure = await setJobAffinity(job.id, draft);
    // On success the job's new affinity remounts this table; on failure it stays to show why.
    setBusy(false);
    setError(failure ?? '');
  };

  return (
    <div className="core-table-wrap">
      <CorePicker coreCount={coreCount} cores={draft} onChange={setDraft} label="Cores" disabled={!job} swatches columns={columns} />
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

function CoreUsage({ percent }: { percent: number | undefined }) {
  return (
    <div className="core-usage">
      <span className="usage-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, percent ?? 0)}%` }} />
      </span>
      <span className="usage-text">{percent === undefined ? '—' : formatPercent(percent)}</span>
    </div>
  );
}
