import type { ProcessActionResult, ProcessAffinityRequest, ProcessReniceRequest, ProcessSignalRequest } from '../../../shared/monitoring';
import { reniceOnRequest, setAffinityOnRequest, signalOnRequest } from '../monitor/processActions';
import type { Capabilities } from '../isolation/capabilities';
import type { RunIdentity } from '../supervisor/runMarker';
import { runOfProcess, runsSockets } from '../supervisor/runOfProcess';

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

  /** Every socket a process of this engine's runs holds, by inode, with its run (runsSockets): where a host looks up the peer of a TCP connection. */
  runsSockets(): ReadonlyMap<number, RunIdentity> {
    return runsSockets(this.dataDirId, this.capabilities().tracking);
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
