import { cpus } from 'node:os';
import { checkCores } from '../affinity/chooseCores';
import { EngineError } from '../engineError';
import { reniceProcess, setProcessAffinity } from '../monitor/processActions';
import { buildForest, collectTree } from '../monitor/processTree';
import { readProcTable } from '../monitor/procTable';

/** A process of the tree that exited between the scan and the action is not an error. */
function ignoreExited(error: unknown): undefined {
  if (error instanceof EngineError && error.code === 'NOT_FOUND') return undefined;
  throw error;
}

/** The pids of the tree below a run's main process now (the main process alone when it is gone from /proc). */
function treePids(pid: number): number[] {
  const table = readProcTable();
  const root = table.processes.get(pid);
  if (!root) return [pid];
  return collectTree(buildForest(table.processes.values()), root);
}

/** Pins every thread of every process in the tree to the cores (which must exist on this machine). */
export async function pinTree(pid: number, cores: readonly number[]): Promise<void> {
  checkCores(cores, cpus().length);
  await Promise.all(treePids(pid).map((member) => setProcessAffinity({ pid: member }, cores).catch(ignoreExited)));
}

/** Renices every process in the tree. */
export function reniceTree(pid: number, nice: number): void {
  for (const member of treePids(pid)) {
    try {
      reniceProcess({ pid: member }, nice);
    } catch (error) {
      ignoreExited(error);
    }
  }
}
