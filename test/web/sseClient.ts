import { get, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { events, type EventName, type EventPayload } from '../../shared/contract';
import { waitFor } from '../support/wait';
import { bearer } from './apiHelpers';

export interface SseEvent {
  name: EventName;
  payload: unknown;
}

/**
 * A script reading GET /api/v1/events: splits the stream into server-sent events (each
 * payload parsed with the contract's schema of that event) and comment lines.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  closed = false;
  private pending = '';

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (text: string) => this.take(text));
    response.on('close', () => (this.closed = true));
    // A stream the server cut off ends mid-body: that is an end like any other here ('closed').
    response.on('error', () => undefined);
  }

  static open(port: number, query = '', headers: OutgoingHttpHeaders = bearer()): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = get({ host: '127.0.0.1', port, path: `/api/v1/events${query}`, headers }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return reject(new Error(`the event stream answered ${response.statusCode}`));
        }
        resolve(new SseClient(response));
      });
      request.on('error', reject);
    });
  }

  private take(text: string): void {
    this.pending += text;
    let end: number;
    while ((end = this.pending.indexOf('\n\n')) !== -1) {
      const block = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      let name: string | undefined;
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('event: ')) name = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data = line.slice('data: '.length);
        else throw new Error(`unexpected line in the event stream: ${JSON.stringify(line.slice(0, 200))}`);
      }
      if (name === undefined) continue;
      if (!(name in events) || data === undefined) throw new Error(`malformed event ${JSON.stringify(block.slice(0, 200))}`);
      const eventName = name as EventName;
      this.events.push({ name: eventName, payload: events[eventName].parse(JSON.parse(data)) });
    }
  }

  /** The first event (so far or from now on) of that name whose payload matches. */
  waitForEvent<E extends EventName>(name: E, match: (payload: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>> {
    return waitFor(
      () => {
        if (this.closed) throw new Error(`the event stream closed while waiting for ${name}`);
        return this.events.find((e) => e.name === name && match(e.payload as EventPayload<E>))?.payload as EventPayload<E> | undefined;
      },
      `event ${name} on the event stream`,
      timeoutMs,
    );
  }

  names(): Set<EventName> {
    return new Set(this.events.map((e) => e.name));
  }

  close(): void {
    this.response.destroy();
  }
}
