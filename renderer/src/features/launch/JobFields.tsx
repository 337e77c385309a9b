import { DEFAULT_CLEAN_ENV_ALLOWLIST } from '../../../../shared/jobSpec';
import { FieldMessage } from '../../components/FieldMessage';
import { TextAreaField, TextField } from '../../components/TextField';
import type { LaunchErrors, LaunchValues } from './launchSpec';

/** The ids of the messages under the form's own fields (tied to them by aria-describedby). */
export const LAUNCH_ERROR_IDS = {
  command: 'launch-command-error',
  cwd: 'launch-cwd-error',
  env: 'launch-env-error',
  timeout: 'launch-timeout-error',
  name: 'launch-name-error',
  form: 'launch-form-error',
} as const;

interface JobFieldsProps {
  values: LaunchValues;
  errors: LaunchErrors;
  update<K extends keyof LaunchValues>(key: K, value: LaunchValues[K]): void;
  /** Editing a definition: its name is the file's (Save definition replaces that one). */
  nameReadOnly: boolean;
}

/** The basic fields under Command: how it runs, where, its environment, its timeout and name. */
export function JobFields({ values, errors, update, nameReadOnly }: JobFieldsProps) {
  return (
    <>
      <fieldset className="choice">
        <legend>Run as</legend>
        <label title="The text is run by /bin/sh -c: pipes, globs and variables work">
          <input type="radio" name="runAs" checked={values.runAs === 'shell'} onChange={() => update('runAs', 'shell')} />
          Shell
        </label>
        <label title="The first word is the program, the rest its arguments; quote with ' or &quot;">
          <input type="radio" name="runAs" checked={values.runAs === 'argv'} onChange={() => update('runAs', 'argv')} />
          Program + arguments
        </label>
      </fieldset>

      <TextField
        id="launch-cwd"
        label="Working directory"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        placeholder="optional"
        value={values.cwd}
        onChange={(cwd) => update('cwd', cwd)}
        error={errors.cwd}
        errorId={LAUNCH_ERROR_IDS.cwd}
      />

      <TextAreaField
        id="launch-env"
        label="Environment"
        className="mono"
        rows={3}
        spellCheck={false}
        placeholder={'KEY=value, one per line'}
        value={values.env}
        onChange={(env) => update('env', env)}
        error={errors.env}
        errorId={LAUNCH_ERROR_IDS.env}
      />
      <fieldset className="choice">
        <legend>Variables</legend>
        <label>
          <input type="radio" name="envMode" checked={values.envMode === 'inherit'} onChange={() => update('envMode', 'inherit')} />
          Inherit
        </label>
        <label title={`Only ${DEFAULT_CLEAN_ENV_ALLOWLIST.join(', ')} are kept, plus the lines above`}>
          <input type="radio" name="envMode" checked={values.envMode === 'clean'} onChange={() => update('envMode', 'clean')} />
          Clean
        </label>
      </fieldset>

      <div className="field-pair">
        <div>
          <TextField
            id="launch-timeout"
            label="Timeout (s)"
            name="timeout"
            type="number"
            min={0}
            step="any"
            placeholder="none"
            value={values.timeout}
            onChange={(timeout) => update('timeout', timeout)}
            error={errors.timeout}
            errorId={LAUNCH_ERROR_IDS.timeout}
            messageElsewhere
          />
        </div>
        <div>
          <TextField
            id="launch-name"
            label="Name"
            autoComplete="off"
            placeholder="optional"
            readOnly={nameReadOnly}
            title={nameReadOnly ? 'The name of the definition in the file (rename it there)' : undefined}
            value={values.name}
            onChange={(name) => update('name', name)}
            error={errors.name}
            errorId={LAUNCH_ERROR_IDS.name}
            messageElsewhere
          />
        </div>
      </div>
      <FieldMessage id={LAUNCH_ERROR_IDS.timeout} message={errors.timeout} />
      <FieldMessage id={LAUNCH_ERROR_IDS.name} message={errors.name} />
    </>
  );
}
