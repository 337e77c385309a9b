import { CorePicker } from '../../components/CorePicker';
import { FieldMessage } from '../../components/FieldMessage';
import { errorIdOf } from './fieldIds';
import type { AffinityMode } from './schedulingSpec';

interface AffinityFieldsProps {
  mode: AffinityMode;
  cores: readonly number[];
  coreCount: number;
  error: string | undefined;
  onMode(mode: AffinityMode): void;
  onCores(cores: number[]): void;
}

const MODES: readonly { mode: AffinityMode; label: string; hint: string }[] = [
  { mode: 'none', label: 'None', hint: 'Run on any core' },
  { mode: 'fixed', label: 'Fixed', hint: 'Every run may use exactly the cores checked' },
  { mode: 'round-robin', label: 'Round-robin', hint: 'Each run is pinned to the next checked core in turn' },
  { mode: 'least-loaded', label: 'Least-loaded', hint: 'Each run is pinned to the least busy core (of those checked, or of all)' },
];

/** Pinning at launch (taskset): the mode, and the cores it applies to. */
export function AffinityFields({ mode, cores, coreCount, error, onMode, onCores }: AffinityFieldsProps) {
  const hint = MODES.find((m) => m.mode === mode)?.hint;
  return (
    <fieldset
      className="option-group affinity-fields"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorIdOf('affinity') : undefined}
    >
      <legend>CPU affinity</legend>
      <div className="choice">
        {MODES.map((m) => (
          <label key={m.mode} title={m.hint}>
            <input type="radio" name="affinityMode" checked={mode === m.mode} onChange={() => onMode(m.mode)} />
            {m.label}
          </label>
        ))}
      </div>
      {mode !== 'none' && (
        <>
          <p className="option-hint muted">{hint}</p>
          <CorePicker coreCount={coreCount} cores={cores} onChange={onCores} label="Cores at launch" />
        </>
      )}
      <FieldMessage id={errorIdOf('affinity')} message={error} />
    </fieldset>
  );
}
