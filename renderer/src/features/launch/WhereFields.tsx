import { useEffect, useState } from 'react';
import type { BackendDescriptionInfo } from '../../../../shared/backends';
import { call } from '../../api/procdeck';
import { FieldMessage } from '../../components/FieldMessage';
import type { WhereValues } from './whereSpec';

const ERROR_ID = 'launch-where-error';

/**
 * Where the job runs: this machine, or the Slurm cluster (offered when the host's Slurm
 * clients reach a controller; otherwise disabled, with Slurm's own words for why).
 */
export function WhereFields({ values, error, onChange }: { values: WhereValues; error?: string | undefined; onChange(patch: Partial<WhereValues>): void }) {
  const [slurm, setSlurm] = useState<BackendDescriptionInfo | undefined>();
  useEffect(() => {
    let live = true;
    const ask = () =>
      void call('backends.describe', {}).then((result) => {
        if (live && result.ok) setSlurm(result.value.backends.find((b) => b.kind === 'slurm'));
      });
    ask();
    // The first answer may be "asking the controller": ask once more when that has had time.
    const again = setTimeout(ask, 3000);
    return () => {
      live = false;
      clearTimeout(again);
    };
  }, []);
  const available = slurm?.available ?? false;
  const number = (key: keyof WhereValues, label: string, placeholder: string) => (
    <label>
      {label}
      <input type="number" min={1} step={1} placeholder={placeholder} value={values[key]} onChange={(e) => onChange({ [key]: e.target.value })} aria-describedby={error ? ERROR_ID : undefined} />
    </label>
  );
  return (
    <>
      <fieldset className="choice">
        <legend>Where</legend>
        <label>
          <input type="radio" name="where" checked={values.kind === 'local'} onChange={() => onChange({ kind: 'local' })} />
          This machine
        </label>
        <label title={slurm?.detail}>
          <input type="radio" name="where" checked={values.kind === 'slurm'} disabled={!available && values.kind !== 'slurm'} onChange={() => onChange({ kind: 'slurm' })} />
          Slurm cluster
        </label>
      </fieldset>
      {!available && slurm && <p className="muted">Slurm cluster not available: {slurm.detail}</p>}
      {values.kind === 'slurm' && (
        <fieldset className="where-slurm" aria-label="Slurm resources">
          <label>
            Partition
            <select value={values.partition} onChange={(e) => onChange({ partition: e.target.value })}>
              <option value="">the cluster&apos;s default</option>
              {(slurm?.partitions ?? []).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          {number('cpus', 'CPUs', '1')}
          {number('memoryMiB', 'Memory (MiB)', 'cluster default')}
          {number('timeLimitMinutes', 'Time limit (min)', 'partition limit')}
          {number('nodes', 'Nodes', '1')}
          <p className="muted">The cluster enforces these limits (Slurm), not this machine.</p>
        </fieldset>
      )}
      <FieldMessage id={ERROR_ID} message={error} />
    </>
  );
}
