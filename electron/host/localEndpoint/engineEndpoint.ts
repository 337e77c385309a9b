import type { Engine } from '../../engine/engine';
import type { Dispatch } from '../dispatch';
import { jobPeerRefusal } from '../jobPeers';
import { startLocalEndpoint, type LocalEndpoint } from './localEndpoint';

export interface EngineEndpointOptions {
  dataDir: string;
  host: 'electron' | 'browser';
  version: string;
  dispatch: Dispatch;
  warn: (line: string) => void;
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
