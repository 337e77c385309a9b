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

/**
 * The run's processes now: the tree below its main process (the main process alone when it is
 * gone from /proc), and every tracked process outside it (`tracked`: its cgroup's or marker's,
 * which hold what left the tree by another session or a double fork). An operator's pin or
 * renice is the job's, not only its tree's: an escapee left at nice 0 would keep the CPU the
 * renice meant to give back.
 */
function runPids(pid: number, tracked: readonly number[]): number[] {
  const table = readProcTable();
  const root = table.processes.get(pid);
  const tree = root ? collectTree(buildForest(table.processes.values()), root) : [pid];
  return [...new Set([...tree, ...tracked])];
}

/** Pins every thread of every process of the run to the cores (which must exist on this machine). */
export async function pinRun(pid: number, tracked: readonly number[], cores: readonly number[]): Promise<void> {
  checkCores(cores, cpus().length);
  await Promise.all(runPids(pid, tracked).map((member) => setProcessAffinity({ pid: member }, cores).catch(ignoreExited)));
}

/** Renices every process of the run. */
export function reniceRun(pid: number, tracked: readonly number[], nice: number): void {
  for (const member of runPids(pid, tracked)) {
    try {
      reniceProcess({ pid: member }, nice);
    } catch (error) {
      ignoreExited(error);
    }
  }
}
