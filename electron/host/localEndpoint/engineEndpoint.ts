import type { Engine } from '../../engine/engine';
import type { Dispatch } from '../dispatch';
import { startLocalEndpoint, type LocalEndpoint } from './localEndpoint';

export interface EngineEndpointOptions {
  dataDir: string;
  host: 'electron' | 'browser';
  version: string;
  dispatch: Dispatch;
  warn: (line: string) => void;
}

/**
 * Why a connecting process is refused although it runs as the operator's user: it is a process
 * of one of the engine's runs (its cgroup or marker). A job runs with the operator's uid unless
 * told otherwise; through the socket it could otherwise start, stop and reconfigure as the
 * operator (lift the command policy its own start was checked against, kill other jobs).
 */
export function jobPeerRefusal(engine: Engine, pid: number): string | undefined {
  const run = engine.processes.runOf(pid);
  if (!run) return undefined;
  const job = engine.jobs.list().find((j) => j.runId === run.runId || j.id === run.jobId);
  return `pid ${pid} is a process of ${job ? `job ${job.name}` : 'a job'} (run ${run.runId}): a job cannot drive Procdeck`;
}

/**
 * Both hosts' way to open the CLI's endpoint on their engine (which holds the data
 * directory's lock by now). The host runs on without it when it cannot be opened: the
 * operator is told why, and the UI is unaffected.
 */
export async function openEngineEndpoint(engine: Engine, options: EngineEndpointOptions): Promise<LocalEndpoint | undefined> {
  try {
    return await startLocalEndpoint({
      dataDir: options.dataDir,
      host: options.host,
      version: options.version,
      dispatch: options.dispatch,
      engineEvents: engine.events,
      onViewerGone: (viewer) => engine.monitor.viewerGone(viewer),
      demandSystemStats: (wanted) => engine.monitor.demandSystemStats(wanted),
      warn: options.warn,
      refusePeer: (pid) => jobPeerRefusal(engine, pid),
    });
  } catch (error) {
    options.warn(`procdeck: the command-line endpoint is not available (the procdeck CLI cannot reach this instance): ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
