import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import { formatCoreList } from '../../../../shared/format';
import { processConfirmationSchema, type ProcessActionResult, type ProcessConfirmation, type SystemProcess } from '../../../../shared/monitoring';
import type { SignalName } from '../../../../shared/signals';
import { call } from '../../api/procdeck';
import { pushNotice } from '../../stores/noticesStore';
import { useWatchStore } from '../../stores/watchStore';
import { loadWatchHistory } from '../watched/watchCommands';

/** Every action names the row's start time too, so the host refuses a pid that was reused meanwhile. */
const targetOf = (process: SystemProcess, confirm?: ProcessConfirmation) => ({ pid: process.pid, startTime: process.startTime, ...(confirm && { confirm }) });

/**
 * An action's result. `confirm`: the engine asks a second time (someone else's process, a
 * kernel thread); `message` is its question, and sending the action again with `confirm`
 * goes ahead.
 */
export type Outcome = { ok: true } | { ok: false; message: string; confirm?: ProcessConfirmation };

function refused(error: ProcdeckErrorPayload): Outcome {
  const confirm = error.code === 'NEEDS_CONFIRMATION' ? processConfirmationSchema.safeParse(error.confirm) : undefined;
  return confirm?.success ? { ok: false, message: error.message, confirm: confirm.data } : { ok: false, message: error.message };
}

function done(what: string, process: SystemProcess, result: ProcessActionResult): Outcome {
  const read = [
    result.state !== undefined && `state ${result.state}`,
    result.nice !== undefined && `nice ${result.nice}`,
    result.cores !== undefined && `cores ${formatCoreList(result.cores)}`,
  ].filter(Boolean);
  const suffix = read.length > 0 ? ` (now ${read.join(', ')})` : '';
  pushNotice('info', `${what} ${process.pid} ${process.command.slice(0, 60)}${suffix}`);
  return { ok: true };
}

export async function signalProcess(process: SystemProcess, signal: SignalName, confirm?: ProcessConfirmation): Promise<Outcome> {
  const result = await call('processes.signal', { ...targetOf(process, confirm), signal });
  return result.ok ? done(`Sent ${signal} to`, process, result.value) : refused(result.error);
}

export async function reniceProcess(process: SystemProcess, nice: number, allThreads: boolean, confirm?: ProcessConfirmation): Promise<Outcome> {
  const result = await call('processes.renice', { ...targetOf(process, confirm), nice, allThreads });
  return result.ok ? done('Reniced', process, result.value) : refused(result.error);
}

export async function setProcessAffinity(process: SystemProcess, cores: number[], confirm?: ProcessConfirmation): Promise<Outcome> {
  const result = await call('processes.setAffinity', { ...targetOf(process, confirm), cores });
  return result.ok ? done('Pinned', process, result.value) : refused(result.error);
}

export async function watchProcess(process: SystemProcess): Promise<Outcome> {
  const result = await call('watch.add', targetOf(process));
  if (!result.ok) return { ok: false, message: result.error.message };
  useWatchStore.getState().add(result.value.watched);
  void loadWatchHistory(result.value.watched.id);
  return { ok: true };
}
