import { SIGNALS, type SignalName } from '../../../shared/signals';

/** What each signal usually does, for the picker's hint. */
const HINTS: Partial<Record<SignalName, string>> = {
  SIGTERM: 'asks the process to exit (it may clean up first)',
  SIGKILL: 'ends the process at once, with no chance to clean up',
  SIGINT: 'as if Ctrl+C was pressed',
  SIGHUP: 'hang-up; many daemons reload their configuration',
  SIGSTOP: 'pauses the process (cannot be ignored)',
  SIGCONT: 'resumes a stopped process',
};

export function SignalPicker({ value, onChange }: { value: SignalName; onChange(signal: SignalName): void }) {
  return (
    <div className="dialog-field">
      <label htmlFor="process-signal">Signal</label>
      <select id="process-signal" value={value} onChange={(event) => onChange(event.target.value as SignalName)}>
        {SIGNALS.map((signal) => (
          <option key={signal} value={signal}>
            {signal}
          </option>
        ))}
      </select>
      {HINTS[value] && <span className="muted">{HINTS[value]}</span>}
    </div>
  );
}
