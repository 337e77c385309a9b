import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { CommandName, CommandResult, WsServerMessage } from '../../shared/contract';
import type { EngineEventMap } from '../engine/eventCoalescer';
import type { Dispatch } from '../host/dispatch';
import { ClientEventStream, DEFAULT_FLOW_LIMITS, eventMessage, type FlowLimits } from './clientEventStream';
import { MAX_MESSAGE_BYTES, parseClientMessage } from './clientMessage';
import { broadcastEngineEvents } from '../host/engineEventForwarding';
import { logFault, type FaultLog } from '../host/faultLog';
import type { ViewerId } from '../host/viewer';

/**
 * Frames above MAX_MESSAGE_BYTES are answered with an error; only frames above this close
 * the connection (1009), since ws would otherwise buffer them whole.
 */
const HARD_MAX_PAYLOAD = 2 * MAX_MESSAGE_BYTES;
const HEARTBEAT_MS = 30_000;
/** A client cut off for not reading gets this long to take the close frame before the socket is dropped. */
const CUT_OFF_GRACE_MS = 1000;

export interface WsBridgeOptions {
  engineEvents: EventEmitter<EngineEventMap>;
  dispatch: Dispatch;
  /** Events each client gets right after `hello` (crash recovery report, opening notices). */
  welcomeEvents: () => WsServerMessage[];
  /** A client is gone: what it had open as a viewer (its system view) can end now. */
  onViewerGone?: (viewer: ViewerId) => void;
  flowLimits?: FlowLimits;
  logFault?: FaultLog;
}

/** One connection's backlog as the server sees it: what it holds, unsent, for that client. */
export interface ClientBacklog {
  viewer: ViewerId;
  bufferedBytes: number;
  congested: boolean;
}

export interface WsBridge {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly clientCount: number;
  /** What is buffered for each connected client (diagnostics, and how the flow-control tests observe it). */
  backlogs(): ClientBacklog[];
  /** Closes every client's connection with this code and reason (the access token changed); new ones are still accepted. */
  disconnectAll(code: number, reason: string): void;
  /** Says goodbye to every client; resolves once they are gone (cut off after a second). */
  close(): Promise<void>;
}


interface Client {
  socket: WebSocket;
  stream: ClientEventStream;
  alive: boolean;
  /** This connection as a viewer: its system view (lease, query, process list) is its own. */
  viewer: ViewerId;
}

function frameText(data: RawData, isBinary: boolean): { text: string | null; bytes: number } {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
  return { text: isBinary ? null : buffer.toString('utf8'), bytes: buffer.byteLength };
}

/**
 * Binds the engine to WebSocket clients through the shared dispatch: each invoke is
 * answered with a result (malformed ones with an error; the connection stays up), and
 * every engine event is serialized once and pushed to every client under flow control.
 */
export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const server = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_PAYLOAD, perMessageDeflate: false });
  const clients = new Set<Client>();
  const fault = options.logFault ?? logFault;
  let connections = 0;

  // A fault while serving one client drops that client; the engine and the others go on.
  const guarded = (client: Client, what: string, action: () => void) => {
    try {
      action();
    } catch (error) {
      fault(`${what} for WebSocket client ${client.viewer} failed (client dropped)`, error);
      client.socket.terminate();
    }
  };

  const unsubscribe = broadcastEngineEvents({
    emitter: options.engineEvents,
    recipients: clients,
    viewerOf: (client) => client.viewer,
    send: (client, name, payload, message, whole) => client.stream.push(name, payload, message, whole),
    serialize: eventMessage,
    fault,
    dropped: (client, what, error) => {
      fault(`${what} for WebSocket client ${client.viewer} failed (client dropped)`, error);
      client.socket.terminate();
    },
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      guarded(client, 'heartbeat', () => {
        if (!client.alive) client.socket.terminate();
        else {
          client.alive = false;
          client.socket.ping();
        }
      });
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  /** Answers go through the client's flow control like events do. */
  const reply = (client: Client, message: WsServerMessage) => {
    if (client.socket.readyState === client.socket.OPEN) client.stream.reply(JSON.stringify(message));
  };

  const answer = async (client: Client, data: RawData, isBinary: boolean) => {
    // A client cut off for not reading gets no more work done for it.
    if (client.stream.isCutOff || client.socket.readyState !== client.socket.OPEN) return;
    const { text, bytes } = frameText(data, isBinary);
    const parsed = parseClientMessage(text, bytes);
    if (!parsed.ok) {
      reply(client, { type: 'result', id: parsed.id, result: parsed.result });
      return;
    }
    const { id, name, request } = parsed.message;
    // Dispatch turns every failure into a result; whatever still throws fails this one request only.
    const failed = (what: string, error: unknown) => {
      fault(`${what} failed (answered INTERNAL)`, error);
      reply(client, { type: 'result', id, result: { ok: false, error: { code: 'INTERNAL', message: `${what} failed inside Procdeck (logged by the server)` } } });
    };
    let result: CommandResult<CommandName>;
    try {
      result = await options.dispatch(name, request, { viewer: client.viewer });
    } catch (error) {
      return failed(`command ${name}`, error);
    }
    try {
      reply(client, { type: 'result', id, result });
    } catch (error) {
      failed(`answering ${name}`, error);
    }
  };

  const connected = (socket: WebSocket) => {
    let cutOffTimer: NodeJS.Timeout | undefined;
    const sink = {
      send: (text: string) => socket.send(text),
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      close: (code: number, reason: string) => {
        socket.close(code, reason);
        // It is not reading, so it will not read the close frame either: drop what is buffered for it.
        cutOffTimer = setTimeout(() => socket.terminate(), CUT_OFF_GRACE_MS);
        cutOffTimer.unref();
      },
    };
    const stream = new ClientEventStream(sink, options.flowLimits ?? DEFAULT_FLOW_LIMITS);
    const client: Client = { socket, stream, alive: true, viewer: `ws-${++connections}` };
    clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data, isBinary) => {
      answer(client, data, isBinary).catch((error: unknown) => {
        fault(`a message of WebSocket client ${client.viewer} failed (client dropped)`, error);
        client.socket.terminate();
      });
    });
    socket.on('close', () => {
      clearTimeout(cutOffTimer);
      client.stream.dispose();
      clients.delete(client);
      guarded(client, 'ending its views', () => options.onViewerGone?.(client.viewer));
    });
    // A frame beyond maxPayload makes ws close the socket with 1009; nothing else to do.
    socket.on('error', () => socket.terminate());
    guarded(client, 'welcome', () => {
      reply(client, { type: 'hello', host: 'browser' });
      for (const message of options.welcomeEvents()) reply(client, message);
    });
  };

  return {
    handleUpgrade(request, socket, head) {
      server.handleUpgrade(request, socket, head, connected);
    },
    get clientCount() {
      return clients.size;
    },
    backlogs() {
      return [...clients].map(({ viewer, socket, stream }) => ({ viewer, bufferedBytes: socket.bufferedAmount, congested: stream.isCongested }));
    },
    disconnectAll(code, reason) {
      for (const { socket } of clients) {
        socket.close(code, reason);
        // One that does not answer the close frame is dropped, as on shutdown.
        setTimeout(() => socket.terminate(), CUT_OFF_GRACE_MS).unref();
      }
    },
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      const gone = [...clients].map(
        ({ socket, stream }) =>
          new Promise<void>((resolve) => {
            stream.dispose();
            const cutOff = setTimeout(() => socket.terminate(), 1000);
            socket.once('close', () => {
              clearTimeout(cutOff);
              resolve();
            });
            socket.close(1001, 'Procdeck is shutting down');
          }),
      );
      await Promise.all(gone);
      server.close();
    },
  };
}
