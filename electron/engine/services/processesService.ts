import type { ProcessActionResult, ProcessAffinityRequest, ProcessReniceRequest, ProcessSignalRequest } from '../../../shared/monitoring';
import { reniceOnRequest, setAffinityOnRequest, signalOnRequest } from '../monitor/processActions';
import type { Capabilities } from '../isolation/capabilities';
import type { RunIdentity } from '../supervisor/runMarker';
import { runHoldingSocket, runOfProcess } from '../supervisor/runOfProcess';

/**
 * engine.processes: actions on processes that are not jobs (the System view), each guarded
 * (the engine itself, its ancestors, pid 1; another user's process or a kernel thread needs
 * a second confirmation).
 */
export class ProcessesService {
  /** `capabilities`: what the engine runs with (a test may force the marker fallback); read at the first question. */
  constructor(
    private readonly dataDirId: string,
    private readonly capabilities: () => Capabilities,
  ) {}

  /** The run of this engine that a process belongs to (its cgroup or marker: runOfProcess), or undefined: what a host asks of a peer before it serves it. */
  runOf(pid: number): RunIdentity | undefined {
    return runOfProcess(pid, this.dataDirId);
  }

  /** The run of this engine whose process holds the socket with this inode (the peer of a TCP connection), or undefined. */
  runHoldingSocket(inode: number): RunIdentity | undefined {
    return runHoldingSocket(inode, this.dataDirId, this.capabilities().tracking);
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
