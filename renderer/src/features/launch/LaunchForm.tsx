import { useRef, useState, type FormEvent } from 'react';
import { DEFAULT_CLEAN_ENV_ALLOWLIST, type JobSpecInput } from '../../../../shared/jobSpec';
import type { AlertRule } from '../../../../shared/monitoring';
import { call } from '../../api/procdeck';
import { applyJobAnswer } from '../../app/jobEventQueue';
import { selectOnly } from '../../app/selection';
import { useNavigationStore } from '../../stores/navigationStore';
import { FieldMessage } from '../../components/FieldMessage';
import { MessageText } from '../../components/MessageText';
import { focusJobGrid } from '../jobs/gridFocus';
import { LaunchAlerts } from './LaunchAlerts';
import { TextAreaField, TextField } from '../../components/TextField';
import {
  EMPTY_LAUNCH,
  fieldForError,
  messageForField,
  type LaunchErrors,
  type LaunchValues,
} from './launchSpec';
import { MoreOptions } from './MoreOptions';
import { WhereFields } from './WhereFields';
import { EMPTY_WHERE, type WhereValues } from './whereSpec';
import { specFromForm, type LaunchFormValues } from './formSpec';
import { useLaunchClone } from './useLaunchClone';
import { NotCopiedNote } from './NotCopiedNote';
import { IsolationSection } from '../isolation/IsolationSection';
import { useIsolationForm } from '../isolation/useIsolationForm';
import { describeScheduling, EMPTY_SCHEDULING, SCHEDULING_FIELDS, type SchedulingValues } from './schedulingSpec';

/** True when one of the errors sits in the folded "More options" section. */
const inMoreOptions = (errors: LaunchErrors) => SCHEDULING_FIELDS.some((field) => errors[field] !== undefined);

const ERROR_IDS = {
  command: 'launch-command-error',
  cwd: 'launch-cwd-error',
  env: 'launch-env-error',
  timeout: 'launch-timeout-error',
  name: 'launch-name-error',
  form: 'launch-form-error',
} as const;

const COMMAND_WARNING_ID = 'launch-command-warning';

/**
 * A shell command's first program, looked up in the job's own PATH by the engine before
 * starting (the renderer cannot see that PATH). Warnings only: the shell may define what the
 * PATH lacks, so "Start anyway" goes ahead. Undefined when the host cannot check (an older host).
 */
async function commandWarnings(spec: JobSpecInput): Promise<string[] | undefined> {
  if (spec.command.kind !== 'shell') return [];
  const result = await call('jobs.check', { spec });
  return result.ok ? result.value.warnings.map((warning) => warning.message) : undefined;
}

export const COMMAND_INPUT_ID = 'launch-command';

export function LaunchForm() {
  const [values, setValues] = useState<LaunchValues>(EMPTY_LAUNCH);
  const [options, setOptions] = useState<SchedulingValues>(EMPTY_SCHEDULING);
  const [where, setWhere] = useState<WhereValues>(EMPTY_WHERE);
  const [moreOpen, setMoreOpen] = useState(false);
  const [alertRules, setAlertRules] = useState<AlertRule[]>([]);
  const [alertsOpen, setAlertsOpen] = useState(false);
  const [errors, setErrors] = useState<LaunchErrors>({});
  /** Warnings about the command as it was when checked (cleared once it changes). */
  const [warnings, setWarnings] = useState<string[]>([]);
  /** The command text the operator chose to start despite its warnings. */
  const overridden = useRef<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState('');
  const isolation = useIsolationForm();
  /** Set by a clone: which job the form was filled from, and what of its spec the form could not hold. */
  const [cloned, setCloned] = useState<{ from: string; notCopied: string[] } | null>(null);

  useLaunchClone(({ form, notCopied }, from) => {
    setValues(form.launch);
    setOptions(form.scheduling);
    setWhere(form.where);
    isolation.update(form.isolation);
    setAlertRules(form.alerts);
    setMoreOpen(describeScheduling(form.scheduling) !== '');
    setErrors({});
    setWarnings([]);
    overridden.current = null;
    setStarted('');
    setCloned({ from, notCopied });
  }, COMMAND_INPUT_ID);

  const update = <K extends keyof LaunchValues>(key: K, value: LaunchValues[K]) => {
    setValues((previous) => ({ ...previous, [key]: value }));
    // A warning is about the command, its mode and its environment as they were checked.
    if (key === 'command' || key === 'runAs' || key === 'env' || key === 'envMode' || key === 'cwd') {
      setWarnings([]);
      overridden.current = null;
    }
  };

  const showErrors = (next: LaunchErrors) => {
    setErrors(next);
    if (inMoreOptions(next)) setMoreOpen(true);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const timeoutInput = event.currentTarget.elements.namedItem('timeout');
    const timeoutUnreadable = timeoutInput instanceof HTMLInputElement && timeoutInput.validity.badInput;
    const form: LaunchFormValues = { launch: { ...values, timeoutUnreadable }, scheduling: options, where, isolation: isolation.values, alerts: alertRules };
    const built = specFromForm(form, isolation.defaultLevel);
    setStarted('');
    if ('errors' in built) {
      if (where.kind === 'local') isolation.revealErrors();
      showErrors(built.errors);
      return;
    }
    setBusy(true);
    isolation.clearErrors();
    const { spec } = built;
    if (overridden.current !== values.command) {
      const found = await commandWarnings(spec);
      if (found && found.length > 0) {
        setBusy(false);
        setErrors({});
        setWarnings(found);
        return;
      }
    }
    setWarnings([]);
    const result = await call('jobs.start', { spec });
    setBusy(false);
    if (!result.ok) {
      if (isolation.claimError(result.error)) {
        setErrors({});
        return;
      }
      const field = fieldForError(result.error);
      showErrors({ [field]: field === 'form' ? result.error.message : messageForField(result.error) });
      return;
    }
    const { job } = result.value;
    overridden.current = null;
    applyJobAnswer([job]);
    selectOnly(job.id);
    if (job.state === 'failed-to-start') {
      setErrors({ form: `${job.name} failed to start${job.reason ? `: ${job.reason}` : ''}` });
      return;
    }
    setErrors({});
    setCloned(null);
    setStarted(job.state === 'queued' ? `Queued ${job.name}` : `Started ${job.name}`);
    // Focus goes to the new job's row: the next key (s, k, /) is a shortcut, not typed into Command.
    useNavigationStore.getState().setLaunchFormOpen(false);
    focusJobGrid(job.id);
  };

  const startAnyway = () => {
    overridden.current = values.command;
    formRef.current?.requestSubmit();
  };

  return (
    <form ref={formRef} className="launch-form" aria-labelledby="launch-heading" noValidate onSubmit={(event) => void submit(event)}>
      <h2 id="launch-heading">New job</h2>
      {cloned && <NotCopiedNote from={cloned.from} notCopied={cloned.notCopied} onDismiss={() => setCloned(null)} />}

      <TextField
        id={COMMAND_INPUT_ID}
        label="Command"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        placeholder={values.runAs === 'shell' ? "echo hello; sleep 60" : "python3 -u 'my script.py' --flag"}
        value={values.command}
        onChange={(command) => update('command', command)}
        error={errors.command}
        errorId={ERROR_IDS.command}
        describedBy={warnings.length > 0 ? COMMAND_WARNING_ID : undefined}
      />
      {warnings.length > 0 && (
        <div id={COMMAND_WARNING_ID} role="alert" className="field-warning">
          {warnings.map((warning) => (
            <div key={warning} className="warning-text">
              <MessageText message={warning} />
            </div>
          ))}
          <button type="button" onClick={startAnyway}>
            Start anyway
          </button>
        </div>
      )}

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
        errorId={ERROR_IDS.cwd}
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
        errorId={ERROR_IDS.env}
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
            errorId={ERROR_IDS.timeout}
            messageElsewhere
          />
        </div>
        <div>
          <TextField
            id="launch-name"
            label="Name"
            autoComplete="off"
            placeholder="optional"
            value={values.name}
            onChange={(name) => update('name', name)}
            error={errors.name}
            errorId={ERROR_IDS.name}
            messageElsewhere
          />
        </div>
      </div>
      <FieldMessage id={ERROR_IDS.timeout} message={errors.timeout} />
      <FieldMessage id={ERROR_IDS.name} message={errors.name} />

      <WhereFields values={where} error={errors.where} onChange={(patch) => setWhere((previous) => ({ ...previous, ...patch }))} />

      <MoreOptions
        open={moreOpen}
        values={options}
        errors={errors}
        onToggle={() => setMoreOpen((open) => !open)}
        onChange={(patch) => setOptions((previous) => ({ ...previous, ...patch }))}
      />

      <LaunchAlerts open={alertsOpen} rules={alertRules} onToggle={() => setAlertsOpen((open) => !open)} onChange={setAlertRules} />

      {where.kind === 'local' && <IsolationSection form={isolation} />}

      <FieldMessage id={ERROR_IDS.form} message={errors.form} />
      <div className="launch-submit">
        <button type="submit" className="primary" disabled={busy}>
          Start
        </button>
        <span role="status" className="muted" title={started}>
          {started}
        </span>
      </div>
    </form>
  );
}
