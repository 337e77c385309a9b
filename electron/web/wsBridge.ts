import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { WsServerMessage } from '../../shared/contract';
import type { EngineEventMap } from '../engine/eventBatcher';
import type { Dispatch } from '../host/dispatch';
import { ClientEventStream, DEFAULT_FLOW_LIMITS, eventMessage, type FlowLimits } from './clientEventStream';
import { MAX_MESSAGE_BYTES, parseClientMessage } from './clientMessage';
import { forwardEngineEvents } from '../host/engineEventForwarding';
import type { ViewerId } from '../engine/monitor/systemView';

/**
 * Frames above MAX_MESSAGE_BYTES are answered with an error; only frames above this close
 * the connection (1009), since ws would otherwise buffer them whole.
 */
const HARD_MAX_PAYLOAD = 2 * MAX_MESSAGE_BYTES;
const HEARTBEAT_MS = 30_000;

export interface WsBridgeOptions {
  engineEvents: EventEmitter<EngineEventMap>;
  dispatch: Dispatch;
  /** Events each client gets right after `hello` (crash recovery report, opening notices). */
  welcomeEvents: () => WsServerMessage[];
  /** A client is gone: what it had open as a viewer (its system view) can end now. */
  onViewerGone?: (viewer: ViewerId) => void;
  flowLimits?: FlowLimits;
}

export interface WsBridge {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly clientCount: number;
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
  let connections = 0;

  const unsubscribe = forwardEngineEvents(options.engineEvents, (name, payload, forViewer) => {
    if (clients.size === 0) return;
    // Serialized once for every client that gets the shared payload; a viewer's own version apart.
    let message: string | undefined;
    for (const client of clients) {
      const own = forViewer?.(client.viewer);
      if (own) client.stream.push(name, own, eventMessage(name, own));
      else client.stream.push(name, payload, (message ??= eventMessage(name, payload)));
    }
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) client.socket.terminate();
      else {
        client.alive = false;
        client.socket.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const send = (socket: WebSocket, message: WsServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  const answer = async ({ socket, viewer }: Client, data: RawData, isBinary: boolean) => {
    const { text, bytes } = frameText(data, isBinary);
    const parsed = parseClientMessage(text, bytes);
    if (!parsed.ok) {
      send(socket, { type: 'result', id: parsed.id, result: parsed.result });
      return;
    }
    const { id, name, request } = parsed.message;
    send(socket, { type: 'result', id, result: await options.dispatch(name, request, { viewer }) });
  };

  const connected = (socket: WebSocket) => {
    const stream = new ClientEventStream(socket, options.flowLimits ?? DEFAULT_FLOW_LIMITS);
    const client: Client = { socket, stream, alive: true, viewer: `ws-${++connections}` };
    clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data, isBinary) => void answer(client, data, isBinary));
    socket.on('close', () => {
      client.stream.dispose();
      clients.delete(client);
      options.onViewerGone?.(client.viewer);
    });
    // A frame beyond maxPayload makes ws close the socket with 1009; nothing else to do.
    socket.on('error', () => socket.terminate());
    send(socket, { type: 'hello', host: 'browser' });
    for (const message of options.welcomeEvents()) send(socket, message);
  };

  return {
    handleUpgrade(request, socket, head) {
      server.handleUpgrade(request, socket, head, connected);
    },
    get clientCount() {
      return clients.size;
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
