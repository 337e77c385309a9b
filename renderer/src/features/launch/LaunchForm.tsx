import { useRef, useState, type FormEvent } from 'react';
import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { JobSpecInput } from '../../../../shared/jobSpec';
import type { AlertRule } from '../../../../shared/monitoring';
import { call } from '../../api/procdeck';
import { applyJobAnswer } from '../../app/jobEventQueue';
import { selectOnly } from '../../app/selection';
import { focusField } from '../../lib/keyboard';
import { useNavigationStore } from '../../stores/navigationStore';
import { FieldMessage } from '../../components/FieldMessage';
import { MessageText } from '../../components/MessageText';
import { focusJobGrid } from '../jobs/gridFocus';
import { LaunchAlerts } from './LaunchAlerts';
import { TextField } from '../../components/TextField';
import { JobFields, LAUNCH_ERROR_IDS as ERROR_IDS } from './JobFields';
import { EMPTY_LAUNCH, fieldForError, messageForField, type LaunchErrors, type LaunchValues } from './launchSpec';
import { MoreOptions } from './MoreOptions';
import { WhereFields } from './WhereFields';
import { EMPTY_WHERE, type WhereValues } from './whereSpec';
import { EMPTY_FORM, specFromForm, type LaunchFormValues } from './formSpec';
import { useLaunchFill } from './useLaunchFill';
import { NotCopiedNote } from './NotCopiedNote';
import { EditingNote } from './EditingNote';
import { LaunchButtons } from './LaunchButtons';
import { specToSave, type DefinitionEdit } from './editSpec';
import { describeSaved } from './definitionSave';
import { IsolationSection } from '../isolation/IsolationSection';
import { useIsolationForm } from '../isolation/useIsolationForm';
import { describeScheduling, EMPTY_SCHEDULING, SCHEDULING_FIELDS, type SchedulingValues } from './schedulingSpec';

/** True when one of the errors sits in the folded "More options" section. */
const inMoreOptions = (errors: LaunchErrors) => SCHEDULING_FIELDS.some((field) => errors[field] !== undefined);


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
  /** Set by a clone or an edit: which job the form was filled from, and what of its spec the form could not hold. */
  const [cloned, setCloned] = useState<{ from: string; notCopied: string[] } | null>(null);
  /** Set by a definition's Edit (the Config file dialog): Save definition writes the form back to it. */
  const [editing, setEditing] = useState<DefinitionEdit | null>(null);

  const fill = (form: LaunchFormValues) => {
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
  };

  useLaunchFill(({ form, notCopied, from, edit }) => {
    fill(form);
    setCloned({ from, notCopied });
    setEditing(edit ?? null);
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

  /** The spec the form describes, or undefined with its errors shown at their fields. */
  const readForm = (): JobSpecInput | undefined => {
    const timeoutInput = formRef.current?.elements.namedItem('timeout');
    const timeoutUnreadable = timeoutInput instanceof HTMLInputElement && timeoutInput.validity.badInput;
    const form: LaunchFormValues = { launch: { ...values, timeoutUnreadable }, scheduling: options, where, isolation: isolation.values, alerts: alertRules };
    const built = specFromForm(form, isolation.defaultLevel);
    setStarted('');
    if ('errors' in built) {
      if (where.kind === 'local') isolation.revealErrors();
      showErrors(built.errors);
      return undefined;
    }
    isolation.clearErrors();
    return built.spec;
  };

  const showRefusal = (error: ProcdeckErrorPayload) => {
    if (isolation.claimError(error)) {
      setErrors({});
      return;
    }
    const field = fieldForError(error);
    showErrors({ [field]: field === 'form' ? error.message : messageForField(error) });
  };

  /**
   * Writes the form into the config file as a definition, starting nothing: a new one under its
   * Name, or the one being edited (replaced, its autostart kept, what the form cannot hold kept).
   * A refusal (a name taken, a spec the file cannot say) is shown here and nothing is written.
   */
  const saveDefinition = async () => {
    const name = editing ? editing.name : values.name.trim();
    if (name === '') {
      setStarted('');
      showErrors({ name: 'a definition needs a name: enter it in Name' });
      return;
    }
    const spec = readForm();
    if (!spec) return;
    const toSave = editing ? specToSave(editing, spec) : { spec };
    if ('error' in toSave) {
      showErrors({ form: toSave.error });
      return;
    }
    setBusy(true);
    // Applying the file waits for a restarted service to be ready again (up to a minute).
    setStarted(`Saving ${name} and applying the file…`);
    const result = await call('config.saveDefinition', { name, spec: toSave.spec, autostart: editing?.autostart ?? false, replace: editing !== null });
    setBusy(false);
    if (!result.ok) {
      setStarted('');
      showRefusal(result.error);
      return;
    }
    setErrors({});
    setCloned(null);
    setEditing(null);
    setStarted(describeSaved(name, result.value, editing !== null));
  };

  const cancelEdit = () => {
    fill(EMPTY_FORM);
    setCloned(null);
    setEditing(null);
    focusField(COMMAND_INPUT_ID);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (editing) return saveDefinition();
    const spec = readForm();
    if (!spec) return;
    setBusy(true);
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
      showRefusal(result.error);
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
      <h2 id="launch-heading">{editing ? 'Edit definition' : 'New job'}</h2>
      {editing ? (
        <EditingNote edit={editing} notCopied={cloned?.notCopied ?? []} />
      ) : (
        cloned && <NotCopiedNote from={cloned.from} notCopied={cloned.notCopied} onDismiss={() => setCloned(null)} />
      )}

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

      <JobFields values={values} errors={errors} update={update} nameReadOnly={editing !== null} />

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
      <LaunchButtons busy={busy} editing={editing !== null} status={started} onSaveAsDefinition={() => void saveDefinition()} onCancelEdit={cancelEdit} />
    </form>
  );
}
