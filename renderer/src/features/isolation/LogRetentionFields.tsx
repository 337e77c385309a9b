import { useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract';
import { formatBytes } from '../../../../shared/format';
import { call } from '../../api/procdeck';
import { TextField } from '../../components/TextField';
import type { SettingsErrors, SettingsValues } from './settingsForm';

const USAGE_ID = 'settings-log-usage';

interface Props {
  values: Pick<SettingsValues, 'runsKept' | 'logBudget'>;
  errors: SettingsErrors;
  errorId(field: keyof SettingsErrors): string;
  update(patch: Partial<SettingsValues>): void;
}

/** Runs kept per job and the disk budget of all run logs, with the space they take now (logs.usage). */
export function LogRetentionFields({ values, errors, errorId, update }: Props) {
  const [usage, setUsage] = useState<CommandResponse<'logs.usage'> | undefined>();
  useEffect(() => {
    void call('logs.usage', {}).then((result) => {
      if (result.ok) setUsage(result.value);
    });
  }, []);

  return (
    <>
      <h3>Run history and logs</h3>
      <TextField
        id="settings-runs-kept"
        label="Runs kept per job"
        type="number"
        min={1}
        max={1000}
        step={1}
        inputMode="numeric"
        value={values.runsKept}
        onChange={(runsKept) => update({ runsKept })}
        error={errors.runsKept}
        errorId={errorId('runsKept')}
      />
      <TextField
        id="settings-log-budget"
        label="Log disk budget"
        className="mono"
        spellCheck={false}
        placeholder="1GiB"
        value={values.logBudget}
        onChange={(logBudget) => update({ logBudget })}
        error={errors.logBudget}
        errorId={errorId('logBudget')}
        describedBy={USAGE_ID}
      />
      <p id={USAGE_ID} aria-live="polite">
        {usage ? `${formatBytes(usage.usedBytes)} of ${formatBytes(usage.budgetBytes)} used (${usage.files} log ${usage.files === 1 ? 'file' : 'files'})` : 'Asking the engine…'}
      </p>
      <p className="muted">
        All run logs together, rotated parts included. Beyond the budget the oldest go first: whole logs of ended runs, then
        older parts of running jobs&apos; logs; the file a running job writes is never deleted. Each deletion is said in a notice,
        and the run&apos;s record keeps saying why. A run beyond the runs kept goes with its log.
      </p>
    </>
  );
}
