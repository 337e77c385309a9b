import type { ProcessActionResult, SystemProcess } from '../../../../shared/monitoring';
import type { SignalName } from '../../../../shared/signals';
import { call } from '../../api/procdeck';
import { useUiStore } from '../../stores/uiStore';
import { useWatchStore } from '../../stores/watchStore';
import { formatCoreList } from '../cpu/coreList';
import { loadWatchHistory } from '../monitor/monitorEvents';

/** Every action names the row's start time too, so the host refuses a pid that was reused meanwhile. */
const targetOf = (process: SystemProcess) => ({ pid: process.pid, startTime: process.startTime });

type Outcome = { ok: true } | { ok: false; message: string };

function done(what: string, process: SystemProcess, result: ProcessActionResult): Outcome {
  const read = [
    result.state !== undefined && `state ${result.state}`,
    result.nice !== undefined && `nice ${result.nice}`,
    result.cores !== undefined && `cores ${formatCoreList(result.cores)}`,
  ].filter(Boolean);
  const suffix = read.length > 0 ? ` (now ${read.join(', ')})` : '';
  useUiStore.getState().pushNotice('info', `${what} ${process.pid} ${process.command.slice(0, 60)}${suffix}`);
  return { ok: true };
}

export async function signalProcess(process: SystemProcess, signal: SignalName): Promise<Outcome> {
  const result = await call('processes.signal', { ...targetOf(process), signal });
  return result.ok ? done(`Sent ${signal} to`, process, result.value) : { ok: false, message: result.error.message };
}

export async function reniceProcess(process: SystemProcess, nice: number, allThreads: boolean): Promise<Outcome> {
  const result = await call('processes.renice', { ...targetOf(process), nice, allThreads });
  return result.ok ? done('Reniced', process, result.value) : { ok: false, message: result.error.message };
}

export async function setProcessAffinity(process: SystemProcess, cores: number[]): Promise<Outcome> {
  const result = await call('processes.setAffinity', { ...targetOf(process), cores });
  return result.ok ? done('Pinned', process, result.value) : { ok: false, message: result.error.message };
}

export async function watchProcess(process: SystemProcess): Promise<Outcome> {
  const result = await call('watch.add', targetOf(process));
  if (!result.ok) return { ok: false, message: result.error.message };
  useWatchStore.getState().add(result.value.watched);
  void loadWatchHistory(result.value.watched.id);
  return { ok: true };
}
