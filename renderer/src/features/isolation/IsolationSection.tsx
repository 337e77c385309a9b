import './isolation.css';
import { ISOLATION_LEVELS } from '../../../../shared/isolation';
import { errorProps, FieldMessage } from '../../components/FieldMessage';
import { LEVEL_LABELS } from './isolationForm';
import { LimitsInForce } from './LimitsInForce';
import { isolationErrorId, OverrideFields, OVERRIDES_SECTION_ID } from './OverrideFields';
import type { IsolationForm } from './useIsolationForm';

const LEVEL_HINTS = {
  none: 'No limits',
  basic: 'Caps memory, CPU time, open files, processes and run time',
  enhanced: 'Tighter caps and a cleaned environment',
  maximum: 'Tight caps in a bubblewrap sandbox: read-only system, no network',
} as const;

/** The launch form's isolation: a level, its overrides and run-as, and the limits they put in force. */
export function IsolationSection({ form }: { form: IsolationForm }) {
  const { level, errors } = form;
  return (
    <div className="isolation-section">
      <label htmlFor="launch-isolation">Isolation</label>
      <select
        id="launch-isolation"
        title={LEVEL_HINTS[level]}
        value={level}
        onChange={(event) => {
          const picked = ISOLATION_LEVELS.find((entry) => entry === event.target.value);
          if (picked) form.update({ level: picked });
        }}
        {...errorProps(isolationErrorId('level'), errors.level)}
      >
        {ISOLATION_LEVELS.map((entry) => (
          <option key={entry} value={entry}>
            {LEVEL_LABELS[entry]}
          </option>
        ))}
      </select>
      <p className="muted field-hint">
        {LEVEL_HINTS[level]}
        {form.values.level === null && ' (the default in Settings)'}
      </p>
      <FieldMessage id={isolationErrorId('level')} message={errors.level} />

      <button
        type="button"
        className="disclosure"
        aria-expanded={form.overridesOpen}
        aria-controls={OVERRIDES_SECTION_ID}
        onClick={form.toggleOverrides}
      >
        <span aria-hidden="true" className="disclosure-mark">
          {form.overridesOpen ? '▾' : '▸'}
        </span>
        Limit overrides
      </button>
      {form.overridesOpen && <OverrideFields form={form} />}

      <LimitsInForce level={level} description={form.description} />
    </div>
  );
}
