import type { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { events, isEventName, type EventName, type EventPayload, type WsServerMessage } from '../../../shared/contract';
import type { EngineEventMap } from '../../engine/eventCoalescer';
import { broadcastEngineEvents } from '../../host/engineEventForwarding';
import { logFault, type FaultLog } from '../../host/faultLog';
import { ClientEventStream, DEFAULT_FLOW_LIMITS, type EventFormat, type FlowLimits } from '../clientEventStream';
import { API_VIEWER } from './apiViewer';

/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;

/** One server-sent event: JSON has no raw line breaks, so the payload is one `data:` line. */
export const sseFrame: EventFormat = (name, payload) => `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;

export type EventFilter = ReadonlySet<EventName> | undefined;

/** `?events=a,b`: the events a stream is to carry (undefined: all), or what is wrong with the list. */
export function parseEventFilter(value: string | null): { ok: true; filter: EventFilter } | { ok: false; message: string } {
  if (value === null) return { ok: true, filter: undefined };
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isEventName(name));
  if (unknown.length > 0) {
    return { ok: false, message: `unknown event ${unknown.map((n) => JSON.stringify(n.slice(0, 60))).join(', ')}; the events are ${Object.keys(events).join(', ')}` };
  }
  return { ok: true, filter: new Set(names as EventName[]) };
}

export interface EventStreamsOptions {
  engineEvents: EventEmitter<EngineEventMap>;
  /** What a new stream gets first (crash recovery report, opening notices), as the WebSocket does. */
  welcomeEvents: () => WsServerMessage[];
  flowLimits?: FlowLimits;
  heartbeatMs?: number;
  logFault?: FaultLog;
  /** A stream opened (what it carries may need the sampling loop awake). */
  onOpened?: () => void;
}

export interface StreamBacklog {
  bufferedBytes: number;
  congested: boolean;
}

export interface EventStreams {
  /** Turns the answer into an event stream until the client goes away. */
  open(response: ServerResponse, headers: OutgoingHttpHeaders, filter: EventFilter): void;
  readonly clientCount: number;
  /** True while an open stream carries this event (all events, or a filter naming it). */
  carries(name: EventName): boolean;
  backlogs(): StreamBacklog[];
  /** Ends every stream open now, with a last comment saying why (the access token changed); new ones are still accepted. */
  endAll(why: string): void;
  close(): void;
}

interface StreamClient {
  response: ServerResponse;
  stream: ClientEventStream;
  filter: EventFilter;
}

/**
 * The engine's events as server-sent events, for scripts (`curl -N`): the WebSocket's event
 * names and payloads, under the same per-client flow control (ClientEventStream): a client
 * that falls behind misses live log output and samples, with a marker and a notice, and one
 * that stops reading is disconnected once its backlog reaches the hopeless mark.
 */
export function createEventStreams(options: EventStreamsOptions): EventStreams {
  const clients = new Set<StreamClient>();
  const fault = options.logFault ?? logFault;

  const drop = (client: StreamClient, what: string, error: unknown) => {
    fault(`${what} for an event stream failed (stream closed)`, error);
    client.response.destroy();
  };

  const unsubscribe = broadcastEngineEvents({
    emitter: options.engineEvents,
    recipients: clients,
    viewerOf: () => API_VIEWER,
    wants: (client, name) => !client.filter || client.filter.has(name),
    chosen: true,
    send: (client, name, payload, frame, whole) => client.stream.push(name, payload, frame, whole),
    serialize: sseFrame,
    fault,
    dropped: drop,
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      try {
        client.stream.reply(': heartbeat\n\n');
      } catch (error) {
        drop(client, 'heartbeat', error);
      }
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  return {
    open(response, headers, filter) {
      response.writeHead(200, {
        ...headers,
        'Content-Type': 'text/event-stream; charset=utf-8',
        // Proxies (nginx) would otherwise hold events back to fill their buffers.
        'X-Accel-Buffering': 'no',
      });
      const sink = {
        send: (text: string) => void response.write(text),
        // What the answer holds unsent for the client, the socket's buffer included.
        get bufferedAmount() {
          return response.writableLength;
        },
        // A stream cannot say why it ends; the client is not reading anyway.
        close: () => response.destroy(),
      };
      const client: StreamClient = { response, stream: new ClientEventStream(sink, options.flowLimits ?? DEFAULT_FLOW_LIMITS, Date.now, sseFrame), filter };
      clients.add(client);
      options.onOpened?.();
      response.on('close', () => {
        client.stream.dispose();
        clients.delete(client);
      });
      client.stream.reply(': procdeck events\n\n');
      for (const message of options.welcomeEvents()) {
        if (message.type !== 'event' || (filter && !filter.has(message.name))) continue;
        client.stream.reply(sseFrame(message.name, message.payload as EventPayload<EventName>));
      }
    },
    carries(name) {
      for (const { filter } of clients) if (!filter || filter.has(name)) return true;
      return false;
    },
    get clientCount() {
      return clients.size;
    },
    backlogs() {
      return [...clients].map(({ response, stream }) => ({ bufferedBytes: response.writableLength, congested: stream.isCongested }));
    },
    endAll(why) {
      for (const { response, stream } of clients) {
        stream.dispose();
        response.end(`: ${why}\n\n`);
      }
      clients.clear();
    },
    close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const { response, stream } of clients) {
        stream.dispose();
        response.end();
      }
      clients.clear();
    },
  };
}
