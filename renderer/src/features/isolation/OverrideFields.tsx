import type { LimitDescription } from '../../../../shared/isolation';
import { errorProps, FieldMessage } from '../../components/FieldMessage';
import { TextField } from '../../components/TextField';
import { NUMERIC_OVERRIDES, type IsolationField, type IsolationValues } from './isolationForm';
import type { IsolationForm } from './useIsolationForm';

export const isolationErrorId = (field: IsolationField) => `isolation-${field}-error`;
const inputId = (field: IsolationField) => `isolation-${field}`;

export const OVERRIDES_SECTION_ID = 'isolation-overrides';

/** Per-limit overrides of the level's preset, and the user the job runs as. */
export function OverrideFields({ form }: { form: IsolationForm }) {
  const { values, errors, update } = form;
  const report = form.description.answer?.report;
  // Blank keeps the preset's value: show it where the operator would type.
  const inForce = (limit: LimitDescription['limit']) => report?.limits.find((entry) => entry.limit === limit)?.value ?? 'no limit';
  const pairs = [NUMERIC_OVERRIDES.slice(0, 2), NUMERIC_OVERRIDES.slice(2, 4), NUMERIC_OVERRIDES.slice(4)];

  return (
    <div id={OVERRIDES_SECTION_ID} className="option-fields isolation-overrides">
      <p className="muted field-hint">Blank keeps the level&apos;s value; &quot;none&quot; lifts it.</p>
      {pairs.map((pair, index) => (
        <div key={index}>
          <div className="field-pair">
            {pair.map(({ field, limit, label }) => (
              <div key={field}>
                <TextField
                  id={inputId(field)}
                  label={label}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={values[field] === '' ? inForce(limit) : undefined}
                  value={values[field]}
                  onChange={(value) => update({ [field]: value } as Partial<IsolationValues>)}
                  error={errors[field]}
                  errorId={isolationErrorId(field)}
                  messageElsewhere
                />
              </div>
            ))}
            {index === pairs.length - 1 && <CleanEnvField form={form} />}
          </div>
          {pair.map(({ field }) => (
            <FieldMessage key={field} id={isolationErrorId(field)} message={errors[field]} />
          ))}
          {index === pairs.length - 1 && <FieldMessage id={isolationErrorId('cleanEnv')} message={errors.cleanEnv} />}
        </div>
      ))}

      <TextField
        id={inputId('runAs')}
        label="Run as user"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        placeholder="user, user:group or :group"
        title="Names or numeric ids; needs Procdeck to run as root"
        value={values.runAs}
        onChange={(runAs) => update({ runAs })}
        error={errors.runAs}
        errorId={isolationErrorId('runAs')}
      />
    </div>
  );
}

const CLEAN_ENV_CHOICES: readonly { value: IsolationValues['cleanEnv']; label: string }[] = [
  { value: 'preset', label: "Level's choice" },
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];

function CleanEnvField({ form }: { form: IsolationForm }) {
  const { values, errors, update } = form;
  return (
    <div>
      <label htmlFor={inputId('cleanEnv')}>Clean env</label>
      <select
        id={inputId('cleanEnv')}
        title="Replace the environment with PATH=/usr/bin:/bin, HOME and LANG (plus the job's own variables)"
        value={values.cleanEnv}
        onChange={(event) => {
          const choice = CLEAN_ENV_CHOICES.find((entry) => entry.value === event.target.value);
          if (choice) update({ cleanEnv: choice.value });
        }}
        {...errorProps(isolationErrorId('cleanEnv'), errors.cleanEnv)}
      >
        {CLEAN_ENV_CHOICES.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
