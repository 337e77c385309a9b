import type { RestartPolicy } from '../../../../shared/scheduling';
import { errorProps, FieldMessage } from '../../components/FieldMessage';
import { TextField } from '../../components/TextField';
import { errorIdOf } from './fieldIds';
import type { BackoffValues, SchedulingErrors, SchedulingField } from './schedulingSpec';

interface RestartFieldsProps {
  when: RestartPolicy['when'];
  backoff: BackoffValues;
  errors: SchedulingErrors;
  onWhen(when: RestartPolicy['when']): void;
  onBackoff(backoff: BackoffValues): void;
}

const BACKOFF_INPUTS: readonly { key: keyof BackoffValues; field: SchedulingField; label: string; hint: string; step: string }[] = [
  { key: 'initialDelay', field: 'restart.initialDelayMs', label: 'First delay (s)', hint: 'Wait before the first restart', step: 'any' },
  { key: 'factor', field: 'restart.factor', label: 'Backoff factor', hint: 'Each quick crash multiplies the delay by this', step: 'any' },
  { key: 'maxDelay', field: 'restart.maxDelayMs', label: 'Maximum delay (s)', hint: 'The delay never grows beyond this', step: 'any' },
  { key: 'minUptime', field: 'restart.minUptimeMs', label: 'Minimum uptime (s)', hint: 'A shorter run counts as a crash', step: 'any' },
  { key: 'maxRestarts', field: 'restart.maxRestarts', label: 'Max restarts', hint: 'One more within the window ends the job as crash-looping', step: '1' },
  { key: 'window', field: 'restart.windowMs', label: 'Within (s)', hint: 'The window the restarts are counted in', step: 'any' },
];

/** When to restart the job on its own, and how fast: exponential backoff with a cap and a limit. */
export function RestartFields({ when, backoff, errors, onWhen, onBackoff }: RestartFieldsProps) {
  return (
    <div className="option-group">
      <label htmlFor="launch-restart">Restart policy</label>
      <select
        id="launch-restart"
        value={when}
        onChange={(event) => onWhen(event.target.value as RestartPolicy['when'])}
        {...errorProps(errorIdOf('restart.when'), errors['restart.when'])}
      >
        <option value="never">never</option>
        <option value="on-failure">on failure</option>
        <option value="always">always</option>
      </select>
      <FieldMessage id={errorIdOf('restart.when')} message={errors['restart.when']} />
      {when !== 'never' && (
        <div className="backoff-grid">
          {BACKOFF_INPUTS.map(({ key, field, label, hint, step }) => (
            <div key={key} className="backoff-field">
              <TextField
                id={`launch-${key}`}
                label={label}
                labelTitle={hint}
                type="number"
                min={0}
                step={step}
                title={hint}
                value={backoff[key]}
                onChange={(value) => onBackoff({ ...backoff, [key]: value })}
                error={errors[field]}
                errorId={errorIdOf(field)}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
