import type { ProcessActionResult, ProcessAffinityRequest, ProcessReniceRequest, ProcessSignalRequest } from '../../../shared/monitoring';
import { reniceOnRequest, setAffinityOnRequest, signalOnRequest } from '../monitor/processActions';

/**
 * engine.processes: actions on processes that are not jobs (the System view), each guarded
 * (the engine itself, its ancestors, pid 1; another user's process or a kernel thread needs
 * a second confirmation).
 */
export class ProcessesService {
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
