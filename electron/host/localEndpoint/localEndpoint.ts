import type { EventEmitter } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { EngineEventMap } from '../../engine/eventCoalescer';
import type { StatsDemand } from '../../engine/services/monitorService';
import type { ViewerId } from '../viewer';
import type { ClientBacklog } from '../../web/wsBridge';
import { DEFAULT_FLOW_LIMITS, eventMessage, type FlowLimits } from '../../web/clientEventStream';
import type { Dispatch } from '../dispatch';
import { broadcastEngineEvents } from '../engineEventForwarding';
import { logFault, type FaultLog } from '../faultLog';
import { LocalSession } from './localSession';
import { readPeerCredentials, type PeerLookup } from './peerCredentials';
import { LOCAL_PROTOCOL_VERSION, localSocketPath, type LocalServerMessage } from './protocol';
import { listenOnSocketFile, removeSocketFileIfOurs } from './socketFile';

/** Connections (verified or being verified) beyond this are refused at once. */
const MAX_CLIENTS = 64;
/** Peer checks run at once (each is a short-lived helper process); the rest wait their turn. */
const PARALLEL_PEER_CHECKS = 4;
const REFUSAL_GRACE_MS = 1000;

export interface LocalEndpointOptions {
  dataDir: string;
  host: 'electron' | 'browser';
  version: string;
  dispatch: Dispatch;
  engineEvents: EventEmitter<EngineEventMap>;
  /** A client is gone: what it had open as a viewer (its system view) can end now. */
  onViewerGone?: (viewer: ViewerId) => void;
  /** Registers what says whether a client subscribed to system.tick (so the figures are measured); returns its disposer. */
  demandSystemStats?: (wanted: () => boolean) => StatsDemand;
  flowLimits?: FlowLimits;
  logFault?: FaultLog;
  /** Where refused connections are reported (stderr by default). */
  warn?: (line: string) => void;
  /** How the peer is identified (SO_PEERCRED by default) and whom it must be (this process's uid). */
  readPeer?: (socket: Socket) => Promise<PeerLookup>;
  ownUid?: number;
  /** Why a peer of the right uid is still refused (a process of one of the engine's jobs: jobPeerRefusal), or undefined. */
  refusePeer?: (pid: number) => string | undefined;
}

export interface LocalEndpoint {
  /** The socket file: `<data dir>/procdeck.sock`. */
  readonly path: string;
  readonly clientCount: number;
  /** What is buffered for each verified client (diagnostics, and how the flow-control tests observe it). */
  backlogs(): ClientBacklog[];
  /** No new connections, and the socket file is removed (if it is still ours); clients stay connected. */
  stopListening(): void;
  /** stopListening, then every client is disconnected (dropped after a second if it does not go). */
  close(): Promise<void>;
}

/**
 * The local endpoint both hosts open for the CLI: a unix socket in the data directory,
 * mode 0600 (the kernel's check), and each connection's peer uid checked with SO_PEERCRED
 * before a byte of it is read: only the user running Procdeck is served; anyone else, a
 * peer that cannot be identified, or (refusePeer) a process of one of its jobs, is refused. Start it only once the engine holds the data
 * directory's lock: a socket file already there is then a crashed host's and is replaced.
 */
export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  const path = localSocketPath(options.dataDir);
  const fault = options.logFault ?? logFault;
  const warn = options.warn ?? ((line: string) => console.error(line));
  const readPeer = options.readPeer ?? readPeerCredentials;
  const ownUid = options.ownUid ?? process.getuid?.();
  const flowLimits = options.flowLimits ?? DEFAULT_FLOW_LIMITS;
  const hello: LocalServerMessage = { type: 'hello', host: options.host, version: options.version, pid: process.pid, protocol: LOCAL_PROTOCOL_VERSION };
  const sessions = new Set<LocalSession>();
  const sockets = new Set<Socket>();
  let connections = 0;
  let checking = 0;
  const waitingForCheck: (() => void)[] = [];

  const refuse = (socket: Socket, message: string) => {
    socket.end(`${JSON.stringify({ type: 'refused', message } satisfies LocalServerMessage)}\n`);
    setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  };

  const verdict = (lookup: PeerLookup): string | undefined => {
    if (ownUid === undefined) return 'this platform has no user ids to compare';
    if (!lookup.ok) return `cannot tell which user is connecting: ${lookup.reason}`;
    if (lookup.peer.uid !== ownUid) return `uid ${lookup.peer.uid} is not the user running Procdeck`;
    return options.refusePeer?.(lookup.peer.pid);
  };

  const admitted = (socket: Socket) => {
    const session = new LocalSession({ socket, dispatch: options.dispatch, viewer: `local-${++connections}`, flowLimits, fault, onSubscribed: () => statsDemand?.changed() });
    sessions.add(session);
    socket.once('close', () => {
      session.dispose();
      sessions.delete(session);
      try {
        options.onViewerGone?.(session.viewer);
      } catch (error) {
        fault(`ending the views of local client ${session.viewer} failed`, error);
      }
    });
    session.start(hello);
  };

  const check = async (socket: Socket) => {
    if (checking >= PARALLEL_PEER_CHECKS) await new Promise<void>((resolve) => waitingForCheck.push(resolve));
    checking++;
    let lookup: PeerLookup;
    try {
      lookup = await readPeer(socket);
    } catch (error) {
      lookup = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      checking--;
      waitingForCheck.shift()?.();
    }
    if (socket.destroyed) return;
    const refusal = verdict(lookup);
    if (refusal === undefined) return admitted(socket);
    warn(`procdeck: refused a connection to ${path}${lookup.ok ? ` from pid ${lookup.peer.pid}` : ''}: ${refusal}`);
    refuse(socket, `refused: ${refusal}`);
  };

  const server = createServer({ pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A peer that resets mid-answer (EPIPE, ECONNRESET) is simply gone.
    socket.on('error', () => socket.destroy());
    if (sockets.size > MAX_CLIENTS) return refuse(socket, `refused: too many connections (at most ${MAX_CLIENTS})`);
    check(socket).catch((error: unknown) => {
      fault('checking a local connection failed (connection dropped)', error);
      socket.destroy();
    });
  });
  server.on('error', (error) => fault('the local endpoint failed', error));
  const bound = await listenOnSocketFile(server, path);

  // A session guards its own sends (a fault drops that client): nothing reaches `dropped`.
  const unsubscribe = broadcastEngineEvents({
    emitter: options.engineEvents,
    recipients: sessions,
    viewerOf: (session) => session.viewer,
    wants: (session, name) => session.wants(name),
    chosen: true,
    send: (session, name, payload, message, whole) => session.push(name, payload, message, whole),
    serialize: eventMessage,
    fault,
    dropped: (session, what, error) => fault(`${what} for local client ${session.viewer} failed`, error),
  });

  const statsDemand = options.demandSystemStats?.(() => {
    for (const session of sessions) if (session.wants('system.tick')) return true;
    return false;
  });

  // The server's 'close' comes once its last connection has gone; by then the bound name's
  // directory descriptor (long paths) is no longer needed by anything.
  const closed = new Promise<void>((resolve) => server.once('close', resolve)).then(() => bound.release());
  let listening = true;
  const stopListening = () => {
    if (!listening) return;
    listening = false;
    removeSocketFileIfOurs(path, bound.identity);
    server.close();
  };

  return {
    path,
    get clientCount() {
      return sessions.size;
    },
    backlogs: () => [...sessions].map((session) => session.backlog()),
    stopListening,
    async close() {
      stopListening();
      unsubscribe();
      statsDemand?.release();
      const gone = [...sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.destroyed) return resolve();
            socket.once('close', () => resolve());
            socket.end();
            setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
          }),
      );
      await Promise.all([closed, ...gone]);
    },
  };
}
