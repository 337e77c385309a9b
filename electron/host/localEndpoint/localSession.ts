import type { Socket } from 'node:net';
import { isEventName, type CommandName, type CommandResult, type EventName, type EventPayload } from '../../../shared/contract';
import { EngineError } from '../../engine/engineError';
import type { ViewerId } from '../viewer';
import { ClientEventStream, type FlowLimits } from '../../web/clientEventStream';
import type { Dispatch } from '../dispatch';
import type { FaultLog } from '../faultLog';
import { LineFramer } from './lineFramer';
import { localClientMessageSchema, MAX_REQUEST_LINE_BYTES, type LocalServerMessage } from './protocol';

/** Requests of one client being worked on at once; beyond this its socket is not read. */
const MAX_IN_FLIGHT = 16;
/** A client cut off for not reading gets this long to take the last line before the socket is dropped. */
const CUT_OFF_GRACE_MS = 1000;

export interface LocalSessionOptions {
  socket: Socket;
  dispatch: Dispatch;
  viewer: ViewerId;
  flowLimits: FlowLimits;
  fault: FaultLog;
  /** It subscribed (what to may need the sampling loop awake). */
  onSubscribed?: () => void;
}

const invalid = (message: string): CommandResult<CommandName> => ({ ok: false, error: { code: 'INVALID_REQUEST', message } });

/** The id of a message that is otherwise malformed, so the client can still match the answer. */
function salvageId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/**
 * One verified client of the local endpoint: reads its newline-delimited requests (each
 * parsed, each answered, malformed ones with an error naming what was wrong), dispatches
 * them through the shared dispatch, and pushes the events it subscribed to under the same
 * per-client flow control as a WebSocket. A client that floods requests is simply not read
 * while its answers are unsent or too many of its requests are in flight.
 */
export class LocalSession {
  private readonly framer = new LineFramer(MAX_REQUEST_LINE_BYTES);
  private readonly stream: ClientEventStream;
  /** Events pushed to this client; none until it subscribes. */
  private subscription?: ReadonlySet<EventName> | 'all';
  private inFlight = 0;
  private cutOffTimer?: NodeJS.Timeout;

  constructor(private readonly options: LocalSessionOptions) {
    const { socket } = options;
    this.stream = new ClientEventStream(
      {
        send: (text) => socket.write(`${text}\n`),
        get bufferedAmount() {
          return socket.writableLength;
        },
        close: (_code, reason) => this.cutOff(reason),
      },
      options.flowLimits,
    );
    socket.on('data', (chunk: Buffer) => this.guarded('reading a request', () => this.received(chunk)));
    socket.on('drain', () => this.updateReading());
  }

  get viewer(): ViewerId {
    return this.options.viewer;
  }

  /** Greets the client and starts reading its requests. */
  start(hello: LocalServerMessage): void {
    this.send(hello);
    this.options.socket.resume();
  }

  /** What is buffered, unsent, for this client, and whether its live output is being skipped. */
  backlog(): { viewer: ViewerId; bufferedBytes: number; congested: boolean } {
    return { viewer: this.viewer, bufferedBytes: this.options.socket.writableLength, congested: this.stream.isCongested };
  }

  wants(name: EventName): boolean {
    return this.subscription === 'all' || (this.subscription?.has(name) ?? false);
  }

  /** An event this client subscribed to, serialized once for every client (`whole`: see ClientEventStream.push). */
  push<E extends EventName>(name: E, payload: EventPayload<E>, message: string, whole?: () => string | undefined): void {
    this.guarded(`sending ${name}`, () => this.stream.push(name, payload, message, whole));
  }

  dispose(): void {
    clearTimeout(this.cutOffTimer);
    this.stream.dispose();
  }

  private received(chunk: Buffer): void {
    for (const line of this.framer.push(chunk)) {
      if (this.stream.isCutOff) return;
      if (line.kind === 'oversized') {
        this.reply(null, invalid(`message larger than the limit of ${MAX_REQUEST_LINE_BYTES} bytes (skipped up to its newline)`));
        continue;
      }
      if (line.text.trim() === '') continue;
      void this.answer(line.text);
    }
    this.updateReading();
  }

  private async answer(text: string): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.reply(null, invalid(`message is not valid JSON: ${(error as Error).message}`));
    }
    const parsed = localClientMessageSchema.safeParse(value);
    if (!parsed.success) {
      const reason = EngineError.fromZod('INVALID_REQUEST', parsed.error).message;
      return this.reply(salvageId(value), invalid(`message is not {type:'invoke', id, name, request} or {type:'subscribe', id, events?}: ${reason}`));
    }
    const message = parsed.data;
    if (message.type === 'subscribe') return this.subscribe(message.id, message.events);
    this.inFlight++;
    this.updateReading();
    let result: CommandResult<CommandName>;
    try {
      result = await this.options.dispatch(message.name, message.request, { viewer: this.viewer });
    } catch (error) {
      // Dispatch turns every failure into a result; whatever still throws fails this one request only.
      this.options.fault(`command ${message.name} of local client ${this.viewer} failed (answered INTERNAL)`, error);
      result = { ok: false, error: { code: 'INTERNAL', message: `command ${message.name} failed inside Procdeck (logged by the server)` } };
    } finally {
      this.inFlight--;
    }
    this.reply(message.id, result);
    this.updateReading();
  }

  private subscribe(id: number, names: string[] | undefined): void {
    const unknown = names?.filter((name) => !isEventName(name)) ?? [];
    if (unknown.length > 0) return this.reply(id, invalid(`unknown event ${unknown.map((n) => JSON.stringify(n)).join(', ')}`));
    this.subscription = names ? new Set(names.filter(isEventName)) : 'all';
    // The ticks it did not subscribe to were not sent: its first one now is whole.
    this.stream.samplesMissed();
    this.options.onSubscribed?.();
    this.reply(id, { ok: true, value: {} });
  }

  /** Answers go through the client's flow control like events do. */
  private reply(id: number | null, result: CommandResult<CommandName>): void {
    if (this.stream.isCutOff || this.options.socket.destroyed) return;
    try {
      this.stream.reply(JSON.stringify({ type: 'result', id, result } satisfies LocalServerMessage));
    } catch (error) {
      this.options.fault(`answering local client ${this.viewer} failed`, error);
    }
  }

  private send(message: LocalServerMessage): void {
    this.options.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Reads on only while the client takes its answers and has few requests in flight. */
  private updateReading(): void {
    const { socket } = this.options;
    if (socket.destroyed || this.stream.isCutOff) return;
    const busy = this.inFlight >= MAX_IN_FLIGHT || socket.writableLength > this.options.flowLimits.highWaterBytes;
    if (busy && !socket.isPaused()) socket.pause();
    else if (!busy && socket.isPaused()) socket.resume();
  }

  private cutOff(reason: string): void {
    const { socket } = this.options;
    socket.end(`${JSON.stringify({ type: 'refused', message: reason } satisfies LocalServerMessage)}\n`);
    // It is not reading, so it will not read that either: drop what is buffered for it.
    this.cutOffTimer = setTimeout(() => socket.destroy(), CUT_OFF_GRACE_MS);
    this.cutOffTimer.unref();
  }

  /** A fault while serving one client drops that client; the engine and the others go on. */
  private guarded(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.options.fault(`${what} for local client ${this.viewer} failed (client dropped)`, error);
      this.options.socket.destroy();
    }
  }
}
