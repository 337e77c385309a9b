import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ISOLATION_LEVELS } from '../../../../shared/isolation';
import { call } from '../../api/procdeck';
import { errorProps, FieldMessage } from '../../components/FieldMessage';
import { TextAreaField, TextField } from '../../components/TextField';
import { useModalDialog } from '../../components/useModalDialog';
import { useHostStore } from '../../stores/hostStore';
import { AccessTokenSection } from '../access/AccessTokenSection';
import { LEVEL_LABELS } from './isolationForm';
import { LogRetentionFields } from './LogRetentionFields';
import { saveSettings } from './saveSettings';
import { applySettingsValues, settingsErrorFor, settingsValuesOf, type SettingsErrors, type SettingsValues } from './settingsForm';
import { useLimitsDescription, type DescribeRequest } from './useLimitsDescription';

const errorId = (field: keyof SettingsErrors) => `settings-${field}-error`;
/** Any request will do: the machine lines come with every answer. */
const MACHINE_REQUEST: DescribeRequest = { isolation: { level: 'none', overrides: {} } };

/** Default isolation level and command policy, saved with settings.update; what this machine can enforce. */
export function SettingsDialog({ onClose }: { onClose(): void }) {
  const dialogRef = useModalDialog();
  const settings = useHostStore((state) => state.settings);
  const [values, setValues] = useState<SettingsValues>(() => settingsValuesOf(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [busy, setBusy] = useState(false);
  const machine = useLimitsDescription(MACHINE_REQUEST).answer?.machine;
  const browserMode = useHostStore((state) => state.engineInfo?.host === 'browser');

  const edited = useRef(false);

  useEffect(() => {
    // The store's copy may predate the connection or another window's change: show the engine's.
    void call('settings.get', {}).then((result) => {
      if (!result.ok) return;
      useHostStore.getState().setSettings(result.value);
      if (!edited.current) setValues(settingsValuesOf(result.value));
    });
  }, []);

  const update = (patch: Partial<SettingsValues>) => {
    edited.current = true;
    setValues((previous) => ({ ...previous, ...patch }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await saveSettings((current) => applySettingsValues(current, values));
    setBusy(false);
    if (result.ok) onClose();
    else setErrors(result.sent ? settingsErrorFor(result.error, result.sent) : { form: result.error.message });
  };

  return (
    <dialog ref={dialogRef} aria-labelledby="settings-title" className="dialog settings-dialog" onClose={onClose}>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <h2 id="settings-title">Settings</h2>

        <label htmlFor="settings-default-isolation">Default isolation</label>
        <select
          id="settings-default-isolation"
          value={values.defaultIsolation}
          onChange={(event) => {
            const picked = ISOLATION_LEVELS.find((level) => level === event.target.value);
            if (picked) update({ defaultIsolation: picked });
          }}
          {...errorProps(errorId('defaultIsolation'), errors.defaultIsolation)}
        >
          {ISOLATION_LEVELS.map((level) => (
            <option key={level} value={level}>
              {LEVEL_LABELS[level]}
            </option>
          ))}
        </select>
        <FieldMessage id={errorId('defaultIsolation')} message={errors.defaultIsolation} />
        <p className="muted">The level of jobs that name none; the launch form starts with it.</p>

        <h3>Command policy</h3>
        <div className="policy-pair">
          <div>
            <TextAreaField
              id="settings-allow"
              label="Allowed programs"
              className="mono"
              rows={5}
              spellCheck={false}
              placeholder={'one per line, e.g.\npython3\n/usr/bin/rsync\n(empty: any not denied)'}
              value={values.allow}
              onChange={(allow) => update({ allow })}
              error={errors.allow}
              errorId={errorId('allow')}
            />
          </div>
          <div>
            <TextAreaField
              id="settings-deny"
              label="Denied programs"
              className="mono"
              rows={5}
              spellCheck={false}
              placeholder={'one per line, e.g.\ncurl\n/usr/bin/nc'}
              value={values.deny}
              onChange={(deny) => update({ deny })}
              error={errors.deny}
              errorId={errorId('deny')}
            />
          </div>
        </div>
        <p id="settings-policy-boundary" className="policy-boundary">
          A deny list is a guard rail; the allowlist plus Maximum isolation is the boundary.
        </p>
        <p>
          Rules match files, never text in a command line: a name (<code>curl</code>) means the program of that name in
          Procdeck&apos;s PATH, an absolute path (<code>/usr/bin/curl</code>) that file, through any link that leads to it; a copy or
          link elsewhere under an allowed name is refused. A denied program is refused even when allowed; with an allowlist,
          only its programs run. Programs that run the command they are given (<code>env</code>, <code>nohup</code>,{' '}
          <code>timeout</code>, <code>nice</code>, <code>sudo</code>, <code>busybox</code>…) and scripts (<code>#!</code>) are
          checked against what they run; one whose command cannot be told is refused.
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={values.allowShellJobs}
            aria-describedby="settings-shell-jobs-note"
            onChange={(event) => update({ allowShellJobs: event.target.checked })}
          />
          Allow shell jobs while a deny list is in force
        </label>
        <p id="settings-shell-jobs-note" className="muted">
          A shell runs whatever its script says, denied programs included, so while a deny list is in force shell-string jobs,
          and programs that start a shell (<code>sh -c</code>, <code>su</code>, <code>script</code>…), are refused unless this is
          on. Allowed, only the shell itself is checked, and the job is flagged with a warning in its Limits tab. Interpreters
          (python3, node…) likewise run whatever their arguments say.
        </p>

        <label htmlFor="settings-metrics-port">Metrics port</label>
        <input
          id="settings-metrics-port"
          type="number"
          min={1}
          max={65535}
          placeholder="off"
          value={values.metricsPort}
          onChange={(event) => update({ metricsPort: event.target.value })}
          {...errorProps(errorId('metricsPort'), errors.metricsPort)}
        />
        <FieldMessage id={errorId('metricsPort')} message={errors.metricsPort} />
        <p className="muted">
          Serves <code>/metrics</code> for Prometheus on 127.0.0.1 without the token (any user of this machine can read it); empty: off.
        </p>

        <h3>Running at once</h3>
        <TextField
          id="settings-max-concurrent"
          label="Jobs running at once"
          type="number"
          min={1}
          max={4096}
          step={1}
          inputMode="numeric"
          value={values.maxConcurrent}
          onChange={(maxConcurrent) => update({ maxConcurrent })}
          error={errors.maxConcurrent}
          errorId={errorId('maxConcurrent')}
        />
        <p className="muted">
          The global pool: beyond this many running jobs, more wait as queued, and the list says why. Groups and batches can
          have a lower limit of their own.
        </p>

        <h3>Job list</h3>
        <TextField
          id="settings-finished-jobs-kept"
          label="Finished jobs kept"
          type="number"
          min={100}
          max={1_000_000}
          step={1}
          inputMode="numeric"
          value={values.finishedJobsKept}
          onChange={(finishedJobsKept) => update({ finishedJobsKept })}
          error={errors.finishedJobsKept}
          errorId={errorId('finishedJobsKept')}
        />
        <p className="muted">
          Beyond this many, the oldest finished jobs are dropped from the list and from the saved jobs, and a notice says how
          many. Running, queued and waiting jobs are never dropped.
        </p>

        <LogRetentionFields values={values} errors={errors} errorId={errorId} update={update} />

        <h3>Slurm cluster</h3>
        <TextField
          id="settings-slurm-conf"
          label="Cluster's slurm.conf"
          placeholder="Slurm's own (SLURM_CONF, else /etc/slurm/slurm.conf)"
          value={values.slurmConf}
          onChange={(slurmConf) => update({ slurmConf })}
          error={errors.slurmConf}
          errorId={errorId('slurmConf')}
        />
        <p className="muted">
          An absolute path on the engine&apos;s machine. Jobs can run on the cluster wherever its controller answers; the launch
          form&apos;s Where says whether it does now. Empty: Slurm&apos;s own lookup.
        </p>

        {browserMode && <AccessTokenSection />}

        <h3>This machine</h3>
        {machine ? (
          <ul aria-label="What this machine enforces">
            {machine.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">Asking the engine…</p>
        )}

        <FieldMessage id={errorId('form')} message={errors.form} />
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save settings
          </button>
        </div>
      </form>
    </dialog>
  );
}
