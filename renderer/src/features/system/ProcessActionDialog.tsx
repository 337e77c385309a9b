import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ProcessConfirmation, SystemProcess } from '../../../../shared/monitoring';
import type { SignalName } from '../../../../shared/signals';
import { CorePicker } from '../../components/CorePicker';
import { SignalPicker } from '../../components/SignalPicker';
import { useModalDialog } from '../../components/useModalDialog';
import { NICE_INPUT, parseNice } from '../../lib/nice';
import { useHostStore } from '../../stores/hostStore';
import { useMachineStore } from '../../stores/machineStore';
import { useProcessListStore, type ProcessActionKind } from '../../stores/processListStore';
import { reniceProcess, setProcessAffinity, signalProcess, watchProcess, type Outcome } from './processCommands';

const TITLES: Record<ProcessActionKind, string> = {
  signal: 'Send a signal to',
  renice: 'Renice',
  affinity: 'Set the CPU affinity of',
  watch: 'Watch',
};

const CONFIRM: Record<ProcessActionKind, string> = {
  signal: 'Send signal',
  renice: 'Apply nice',
  affinity: 'Apply affinity',
  watch: 'Start watching',
};

/** The second step's button: the action named again, with "anyway". */
function confirmAnyway(kind: ProcessActionKind, signal: SignalName): string {
  if (kind === 'signal') return `Send ${signal} anyway`;
  return kind === 'renice' ? 'Renice anyway' : kind === 'affinity' ? 'Apply affinity anyway' : 'Watch anyway';
}

/**
 * The confirmation of a row action; the list stays frozen while it is open (see
 * processListStore). For someone else's process or a kernel thread the engine asks again,
 * naming what the process is: the dialog shows that question as a second step, with the
 * choices locked, and sends the action again with the confirmation the engine asked for.
 */
export function ProcessActionDialog() {
  const action = useProcessListStore((state) => state.action);
  if (!action) return null;
  return <ActionDialogBody key={`${action.kind}:${action.process.pid}:${action.process.startTime}`} kind={action.kind} process={action.process} />;
}

function ActionDialogBody({ kind, process }: { kind: ProcessActionKind; process: SystemProcess }) {
  const dialogRef = useModalDialog();
  const coreCount = useHostStore((state) => state.engineInfo?.cores) ?? useMachineStore.getState().latest?.cores.length ?? 1;
  const [signal, setSignal] = useState<SignalName>('SIGTERM');
  const [nice, setNice] = useState(String(process.nice));
  const [allThreads, setAllThreads] = useState(true);
  const [cores, setCores] = useState<number[]>(() => Array.from({ length: coreCount }, (_, core) => core));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [second, setSecond] = useState<{ confirm: ProcessConfirmation; question: string } | undefined>();
  const cancelRef = useRef<HTMLButtonElement>(null);


  const close = () => useProcessListStore.getState().closeAction();

  useEffect(() => {
    // Enter on the second step cancels: going ahead takes a deliberate Tab and press.
    if (second) cancelRef.current?.focus();
  }, [second]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    const parsedNice = parseNice(nice);
    if (kind === 'renice' && 'error' in parsedNice) {
      setError(parsedNice.error);
      return;
    }
    setBusy(true);
    const confirm = second?.confirm;
    const outcome: Outcome =
      kind === 'signal'
        ? await signalProcess(process, signal, confirm)
        : kind === 'renice' && 'nice' in parsedNice
          ? await reniceProcess(process, parsedNice.nice, allThreads, confirm)
          : kind === 'affinity'
            ? await setProcessAffinity(process, cores, confirm)
            : await watchProcess(process);
    setBusy(false);
    if (outcome.ok) close();
    else if (outcome.confirm && !second) {
      setError('');
      setSecond({ confirm: outcome.confirm, question: outcome.message });
    } else setError(outcome.message);
  };

  const danger = kind === 'signal' && (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGSTOP');
  return (
    <dialog
      ref={dialogRef}
      role="alertdialog"
      aria-labelledby="process-action-title"
      aria-describedby="process-action-description"
      className="dialog process-dialog"
      onClose={close}
    >
      <form onSubmit={(event) => void confirm(event)}>
        <h2 id="process-action-title">
          {TITLES[kind]} process {process.pid}?
        </h2>
        <p id="process-action-description">
          Owned by {process.user}; not necessarily started by Procdeck.
          <code className="dialog-command">{process.command}</code>
        </p>
        <fieldset className="plain-fieldset" disabled={second !== undefined}>
          {kind === 'signal' && <SignalPicker value={signal} onChange={setSignal} />}
          {kind === 'renice' && (
            <div className="dialog-field">
              <label htmlFor="process-nice">Nice value</label>
              <input
                id="process-nice"
                {...NICE_INPUT}
                value={nice}
                onChange={(event) => setNice(event.target.value)}
              />
              <label className="check">
                <input type="checkbox" checked={allThreads} onChange={(event) => setAllThreads(event.target.checked)} />
                All threads
              </label>
            </div>
          )}
          {kind === 'affinity' && <CorePicker coreCount={coreCount} cores={cores} onChange={setCores} label="Allowed cores" className="dialog-field" />}
          {kind === 'watch' && <p className="muted">Its CPU and memory are charted in Watched, and it can get alert rules.</p>}
        </fieldset>
        {second && (
          <p role="alert" aria-label="Second confirmation" className="second-confirmation">
            {second.question}
          </p>
        )}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" ref={cancelRef} onClick={close}>
            Cancel
          </button>
          <button type="submit" className={danger || second ? 'danger' : 'primary'} disabled={busy || (kind === 'affinity' && cores.length === 0)}>
            {second ? confirmAnyway(kind, signal) : CONFIRM[kind]}
          </button>
        </div>
      </form>
    </dialog>
  );
}
