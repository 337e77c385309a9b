import { useMemo } from 'react';
import { FieldMessage } from '../../components/FieldMessage';
import { TextField } from '../../components/TextField';
import { NICE_INPUT } from '../../lib/nice';
import { useHostStore } from '../../stores/hostStore';
import { useJobsStore } from '../../stores/jobsStore';
import { useSchedulingStore } from '../../stores/schedulingStore';
import { AffinityFields } from './AffinityFields';
import { DependsOnField } from './DependsOnField';
import { errorIdOf } from './fieldIds';
import { RestartFields } from './RestartFields';
import { describeScheduling, type SchedulingErrors, type SchedulingValues } from './schedulingSpec';

interface MoreOptionsProps {
  open: boolean;
  values: SchedulingValues;
  errors: SchedulingErrors;
  onToggle(): void;
  onChange(patch: Partial<SchedulingValues>): void;
}

const SECTION_ID = 'launch-more-options';

/** Pool group, priority, dependencies, restart policy, CPU affinity, nice and merged stderr: folded away until asked for. */
export function MoreOptions({ open, values, errors, onToggle, onChange }: MoreOptionsProps) {
  const summary = describeScheduling(values);
  return (
    <div className="more-options">
      <button type="button" className="disclosure" aria-expanded={open} aria-controls={SECTION_ID} onClick={onToggle}>
        <span aria-hidden="true" className="disclosure-mark">
          {open ? '▾' : '▸'}
        </span>
        More options
      </button>
      {!open && summary && <p className="option-summary muted">{summary}</p>}
      {open && <OptionFields values={values} errors={errors} onChange={onChange} />}
    </div>
  );
}

function OptionFields({ values, errors, onChange }: Pick<MoreOptionsProps, 'values' | 'errors' | 'onChange'>) {
  const coreCount = useHostStore((state) => state.engineInfo?.cores ?? 1);
  const groups = useKnownGroups();
  return (
    <div id={SECTION_ID} className="option-fields">
      <div className="field-pair">
        <div>
          <TextField
            id="launch-group"
            label="Group"
            autoComplete="off"
            list="launch-group-choices"
            placeholder="default"
            title="Pool group: each group may have its own concurrency limit"
            value={values.group}
            onChange={(group) => onChange({ group })}
            error={errors.group}
            errorId={errorIdOf('group')}
            messageElsewhere
          />
          <datalist id="launch-group-choices">
            {groups.map((group) => (
              <option key={group} value={group} />
            ))}
          </datalist>
        </div>
        <div>
          <TextField
            id="launch-priority"
            label="Priority"
            type="number"
            step={1}
            min={-1000}
            max={1000}
            placeholder="0"
            title="Higher starts first among queued jobs"
            value={values.priority}
            onChange={(priority) => onChange({ priority })}
            error={errors.priority}
            errorId={errorIdOf('priority')}
            messageElsewhere
          />
        </div>
      </div>
      <FieldMessage id={errorIdOf('group')} message={errors.group} />
      <FieldMessage id={errorIdOf('priority')} message={errors.priority} />

      <DependsOnField value={values.dependsOn} error={errors.dependsOn} onChange={(dependsOn) => onChange({ dependsOn })} />

      <RestartFields
        when={values.restartWhen}
        backoff={values.backoff}
        errors={errors}
        onWhen={(restartWhen) => onChange({ restartWhen })}
        onBackoff={(backoff) => onChange({ backoff })}
      />

      <AffinityFields
        mode={values.affinityMode}
        cores={values.cores}
        coreCount={coreCount}
        error={errors.affinity}
        onMode={(affinityMode) => onChange({ affinityMode })}
        onCores={(cores) => onChange({ cores })}
      />

      <TextField
        id="launch-nice"
        label="Nice"
        {...NICE_INPUT}
        placeholder="inherit"
        value={values.nice}
        onChange={(nice) => onChange({ nice })}
        error={errors.nice}
        errorId={errorIdOf('nice')}
      />

      <label className="check" title="Two pipes can swap lines written back to back; one keeps the exact order (every line is then marked stdout)">
        <input type="checkbox" checked={values.mergeStderr} onChange={(event) => onChange({ mergeStderr: event.target.checked })} />
        Merge stderr into stdout (exact line order)
      </label>
    </div>
  );
}

/** Group names the engine knows and the jobs use, for the Group field's suggestions. */
function useKnownGroups(): string[] {
  const groups = useSchedulingStore((state) => state.groups);
  const jobs = useJobsStore((state) => state.jobs);
  return useMemo(() => {
    const names = new Set(Object.keys(groups));
    for (const job of Object.values(jobs)) names.add(job.spec.group);
    names.add('default');
    return [...names].sort();
  }, [groups, jobs]);
}
