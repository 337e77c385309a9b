import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WS_CLOSE_TOKEN_CHANGED, type CommandResponse, type WsServerMessage } from '../../shared/contract';
import { EngineError } from '../engine/engineError';
import type { Engine } from '../engine/engine';
import { createCommandHandlers } from '../host/commandHandlers';
import { createDispatch, type Dispatch } from '../host/dispatch';
import { jobConnectionRefusal } from '../host/jobPeers';
import { welcomeEvents as buildWelcomeEvents } from '../host/welcomeEvents';
import { buildOpenApiDocument } from './api/openApiDocument';
import { createEventStreams, type StreamBacklog } from './api/eventStreams';
import { allowedHostNames, hostForUrl, type AccessPolicy } from './auth';
import { exposureRefusal, isLoopbackHost } from './bindAddress';
import type { FlowLimits } from './clientEventStream';
import { createHttpServer } from './httpServer';
import { createHostMetrics } from './hostMetrics';
import { LoginCodes } from './loginCodes';
import { peerIsOnThisMachine, peerSocketInode } from './peerUser';
import { createWsBridge, type ClientBacklog } from './wsBridge';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export interface BrowserHostOptions {
  engine: Engine;
  token: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** When `port` is taken, listen on a free one instead of failing. */
  fallbackToFreePort?: boolean;
  rendererDir?: string;
  version: string;
  flowLimits?: FlowLimits;
  /** The operator accepted serving plain HTTP on an address other machines can reach. */
  exposeUnencrypted?: boolean;
  /** How often an idle event stream (GET /api/v1/events) gets a heartbeat comment. */
  eventHeartbeatMs?: number;
  /**
   * Makes the token that replaces the current one and keeps it for later starts
   * (`access.rotateToken`); without it, rotating is refused.
   */
  rotateToken?: () => { token: string; notice?: string };
  /** The URL changed (a rotated token): whoever wrote it down writes the new one. */
  onUrlChanged?: (url: string) => void;
}

export interface BrowserHost {
  /** The page to open, token included (it changes when the token is rotated). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly clientCount: number;
  /** A page to open once, within a minute, by this user's own browser: a fresh single-use login code instead of the token. */
  loginUrl(): string;
  backlogs(): ClientBacklog[];
  /** The same for the API's event streams. */
  eventStreamBacklogs(): StreamBacklog[];
  /** The loopback metrics port open now (settings.metricsPort), null when none. */
  readonly metricsPort: number | null;
  /** What the operator should know about the host itself (a metrics port that could not be opened). */
  notices(): string[];
  /** The host's one dispatch: other ways in (the CLI's socket) use it, so a settings change from them opens or closes the metrics port too. */
  readonly dispatch: Dispatch;
  /** Closes the server and its clients; the engine stays open (its owner shuts it down). */
  close(): Promise<void>;
}

const WILDCARD = ['0.0.0.0', '::'];

/** Every name and address of this machine: what a Host header may say when bound to all interfaces. */
function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address));
  return [hostname(), ...addresses];
}

async function listen(server: ReturnType<typeof createHttpServer>, host: string, port: number, fallback: boolean): Promise<number> {
  const attempt = async (p: number) => {
    server.listen(p, host);
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };
  try {
    return await attempt(port);
  } catch (error) {
    if (!fallback || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    return attempt(0);
  }
}

/** Serves the renderer and the engine (over a WebSocket at /ws) to a browser holding the token. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { engine } = options;
  if (!isLoopbackHost(options.host) && !options.exposeUnencrypted) throw new Error(exposureRefusal(options.host));
  const hostMetrics = createHostMetrics(engine, createCommandHandlers(engine, { host: 'browser', version: options.version }));
  // Filled in below, once the server whose access policy it changes exists.
  const tokenRotation: { rotate?: () => CommandResponse<'access.rotateToken'> } = {};
  const dispatch = createDispatch({
    ...hostMetrics.handlers,
    'access.rotateToken': () => {
      if (!tokenRotation.rotate) throw new EngineError('UNSUPPORTED', 'this host keeps no access token to rotate');
      return tokenRotation.rotate();
    },
  });
  const notices = () => (hostMetrics.port.problem ? [hostMetrics.port.problem] : []);
  const welcomeEvents = (): WsServerMessage[] => buildWelcomeEvents(engine, notices()).map((event) => ({ type: 'event', ...event }));
  const bridge = createWsBridge({
    engineEvents: engine.events,
    dispatch,
    welcomeEvents,
    flowLimits: options.flowLimits,
    onViewerGone: (viewer) => engine.monitor.viewerGone(viewer),
  });

  // A script's stream that carries system.tick keeps the machine's figures measured (a tab gets them only while it shows them).
  const statsDemand = engine.monitor.demandSystemStats(() => eventStreams.carries('system.tick'));
  const eventStreams = createEventStreams({
    engineEvents: engine.events,
    welcomeEvents,
    flowLimits: options.flowLimits,
    heartbeatMs: options.eventHeartbeatMs,
    onOpened: () => statsDemand.changed(),
  });
  let openApiJson: string | undefined;
  const api = {
    dispatch,
    eventStreams,
    metrics: hostMetrics.metrics,
    openApiJson: () => (openApiJson ??= JSON.stringify(buildOpenApiDocument(options.version))),
  };
  const closeApi = async () => {
    statsDemand.release();
    eventStreams.close();
    await hostMetrics.close();
  };

  // Until the port is known nothing can match the policy, so nothing is let through early.
  const policy: { current: AccessPolicy } = { current: { token: options.token, port: -1, allowedHosts: new Set() } };
  const loginCodes = new LoginCodes();
  const server = createHttpServer({
    policy: () => policy.current,
    loginCodes,
    rendererDir: options.rendererDir ?? DEFAULT_RENDERER_DIR,
    bridge,
    api,
    // A peer elsewhere is no process of this machine, let alone a job's.
    refusePeer: (socket) => (peerIsOnThisMachine(socket) ? jobConnectionRefusal(engine, () => peerSocketInode(socket)) : undefined),
  });
  let port: number;
  try {
    port = await listen(server, options.host, options.port, options.fallbackToFreePort ?? false);
  } catch (error) {
    await bridge.close();
    await closeApi();
    throw error;
  }
  const wildcard = WILDCARD.includes(options.host);
  policy.current = { token: options.token, port, allowedHosts: allowedHostNames(options.host, wildcard ? machineNames() : []) };

  await hostMetrics.start();

  const origin = `http://${hostForUrl(wildcard ? hostname() : options.host)}:${port}`;
  const url = () => `${origin}/?token=${policy.current.token}`;
  const { rotateToken } = options;
  if (rotateToken) {
    tokenRotation.rotate = () => {
      const { token, notice } = rotateToken();
      // From here on only the new token opens anything; what the old one opened is closed below.
      policy.current = { ...policy.current, token };
      loginCodes.revokeAll();
      options.onUrlChanged?.(url());
      // After this answer has gone out: the tab that asked is among those disconnected.
      setImmediate(() => {
        bridge.disconnectAll(WS_CLOSE_TOKEN_CHANGED, 'the access token was changed');
        eventStreams.endAll('the access token was changed: connect again with the new one');
      });
      return { url: url(), ...(notice !== undefined && { notice }) };
    };
  }
  return {
    get url() {
      return url();
    },
    origin,
    port,
    get clientCount() {
      return bridge.clientCount;
    },
    loginUrl: () => `${origin}/?login=${loginCodes.issue()}`,
    backlogs: () => bridge.backlogs(),
    eventStreamBacklogs: () => eventStreams.backlogs(),
    get metricsPort() {
      return hostMetrics.port.port;
    },
    notices,
    dispatch,
    async close() {
      await bridge.close();
      await closeApi();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
