import type { ProcessActionResult, ProcessAffinityRequest, ProcessReniceRequest, ProcessSignalRequest } from '../../../shared/monitoring';
import { reniceOnRequest, setAffinityOnRequest, signalOnRequest } from '../monitor/processActions';
import type { RunIdentity } from '../supervisor/runMarker';
import { runOfProcess } from '../supervisor/runOfProcess';

/**
 * engine.processes: actions on processes that are not jobs (the System view), each guarded
 * (the engine itself, its ancestors, pid 1; another user's process or a kernel thread needs
 * a second confirmation).
 */
export class ProcessesService {
  constructor(private readonly dataDirId: string) {}

  /** The run of this engine that a process belongs to (its cgroup or marker: runOfProcess), or undefined: what a host asks of a peer before it serves it. */
  runOf(pid: number): RunIdentity | undefined {
    return runOfProcess(pid, this.dataDirId);
  }

  signal(request: ProcessSignalRequest): ProcessActionResult {
    return signalOnRequest(request);
  }

  renice(request: ProcessReniceRequest): ProcessActionResult {
    return reniceOnRequest(request);
  }

  setAffinity(request: ProcessAffinityRequest): Promise<ProcessActionResult> {
    return setAffinityOnRequest(request);
  }
}
