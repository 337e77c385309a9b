import type { EventName, EventPayload, WsServerMessage } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import type { LogBatch } from '../../shared/jobSnapshot';

/** The part of a WebSocket this needs; a fake is enough in tests. */
export interface EventSink {
  send(text: string): void;
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface FlowLimits {
  /** Above this many unsent bytes, live log output and samples are skipped for the client. */
  highWaterBytes: number;
  /** Skipping stops once the backlog has fallen below this. */
  lowWaterBytes: number;
  /**
   * A client this far behind is not reading at all: it is disconnected (it reconnects and
   * reloads). Answers count too: what is buffered for one client never exceeds this.
   */
  hopelessBytes: number;
  /** How often a congested client's backlog is looked at. */
  pollMs: number;
  /** At most one "output skipped" notice per this interval. */
  noticeIntervalMs: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = {
  highWaterBytes: 4 * 1024 * 1024,
  lowWaterBytes: 1024 * 1024,
  hopelessBytes: 64 * 1024 * 1024,
  pollMs: 50,
  noticeIntervalMs: 10_000,
};

/**
 * Events a slow client can do without: the files keep every log line, and the next samples.tick
 * a client is sent after one was skipped is a whole one.
 */
const SKIPPABLE: ReadonlySet<EventName> = new Set<EventName>(['logs.appended', 'samples.tick']);

interface SkippedOutput {
  jobId: string;
  runId: string;
  bytes: number;
}

/** How an event is written on one kind of connection (a WebSocket message, a server-sent event). */
export type EventFormat = <E extends EventName>(name: E, payload: EventPayload<E>) => string;

export const eventMessage: EventFormat = (name, payload) => JSON.stringify({ type: 'event', name, payload } satisfies WsServerMessage);

/**
 * Pushes engine events to one client without buffering without bound. While the socket's
 * backlog is above the high-water mark, log output and samples are skipped (job state
 * changes never are); once it has drained, each affected log gets a marker line where
 * output is missing and the client gets one notice saying so.
 */
export class ClientEventStream {
  private congested = false;
  private readonly skipped = new Map<string, SkippedOutput>();
  private skippedTicks = 0;
  /**
   * samples.tick is a change against the tick before: a client that has not had every one
   * (none yet, or one was skipped) holds wrong figures until it is sent a whole tick.
   */
  private owesWholeSamples = true;
  private lastNoticeAt = -Infinity;
  private pollTimer?: NodeJS.Timeout;
  private cutOff = false;

  constructor(
    private readonly sink: EventSink,
    private readonly limits: FlowLimits = DEFAULT_FLOW_LIMITS,
    private readonly now: () => number = Date.now,
    /** How the stream's own events (the skip marker, the notice) are written: as the pushed ones are. */
    private readonly format: EventFormat = eventMessage,
  ) {}

  /**
   * `message` is the event already serialized (once, for every client); `whole`, for samples.tick
   * (a change against the tick before), the whole tick serialized, which is what this client is
   * sent instead while it owes one: its first, and the first after one it was not sent.
   */
  push<E extends EventName>(name: E, payload: EventPayload<E>, message: string, whole?: () => string | undefined): void {
    if (this.cutOffIfBeyondBudget(message)) return;
    if (SKIPPABLE.has(name) && (this.congested || this.sink.bufferedAmount > this.limits.highWaterBytes)) {
      this.skip(name, payload);
      return;
    }
    if (name === 'samples.tick' && this.owesWholeSamples && !(payload as EventPayload<'samples.tick'>).full && whole) {
      const wholeMessage = whole();
      // Not serializable (reported where it failed): nothing is sent, and the next tick tries again.
      if (wholeMessage === undefined || this.cutOffIfBeyondBudget(wholeMessage)) return;
      message = wholeMessage;
    }
    if (name === 'samples.tick') this.owesWholeSamples = false;
    this.sink.send(message);
  }

  /**
   * An answer to one of the client's own requests: never skipped (the client waits for it),
   * but it counts against the same budget as events, so a client that asks and never reads
   * is cut off instead of having its answers buffered without end. False once cut off.
   */
  reply(message: string): boolean {
    if (this.cutOffIfBeyondBudget(message)) return false;
    this.sink.send(message);
    return true;
  }

  /** Ticks were not pushed to this client (it had not subscribed to them): the next one it is sent is whole. */
  samplesMissed(): void {
    this.owesWholeSamples = true;
  }

  /** The client was so far behind that it was disconnected; nothing more is sent. */
  get isCutOff(): boolean {
    return this.cutOff;
  }

  get isCongested(): boolean {
    return this.congested;
  }

  dispose(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /**
   * A message's UTF-16 length never exceeds its UTF-8 size, so checking it before sending
   * keeps what is buffered for the client within hopelessBytes without encoding it twice.
   */
  private cutOffIfBeyondBudget(message: string): boolean {
    if (this.cutOff) return true;
    if (this.sink.bufferedAmount + message.length <= this.limits.hopelessBytes) return false;
    this.cutOff = true;
    this.dispose();
    this.sink.close(1013, 'client is not reading; reconnect to reload');
    return true;
  }

  private skip<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!this.congested) {
      this.congested = true;
      this.pollTimer = setInterval(() => this.checkDrained(), this.limits.pollMs);
    }
    if (name === 'samples.tick') {
      this.skippedTicks++;
      this.owesWholeSamples = true;
      return;
    }
    for (const batch of (payload as EventPayload<'logs.appended'>).batches) {
      const key = `${batch.jobId}\0${batch.runId}`;
      const entry = this.skipped.get(key) ?? { jobId: batch.jobId, runId: batch.runId, bytes: 0 };
      for (const chunk of batch.chunks) entry.bytes += Buffer.byteLength(chunk.text);
      this.skipped.set(key, entry);
    }
  }

  private checkDrained(): void {
    if (this.sink.bufferedAmount > this.limits.lowWaterBytes) return;
    this.dispose();
    this.congested = false;
    const skipped = [...this.skipped.values()];
    this.skipped.clear();
    this.skippedTicks = 0;
    if (skipped.length === 0) return;

    const batches: LogBatch[] = skipped.map(({ jobId, runId, bytes }) => ({
      jobId,
      runId,
      chunks: [{ stream: 'system', text: `${formatBytes(bytes)} of output not shown live: this connection could not keep up (full output is in the log file)\n`, at: this.now() }],
    }));
    this.sink.send(this.format('logs.appended', { batches }));

    const at = this.now();
    if (at - this.lastNoticeAt < this.limits.noticeIntervalMs) return;
    this.lastNoticeAt = at;
    const total = skipped.reduce((sum, s) => sum + s.bytes, 0);
    const jobs = new Set(skipped.map((s) => s.jobId)).size;
    const message = `Output arrived faster than this connection could carry it: ${formatBytes(total)} of live log output of ${jobs} job(s) was skipped (marked in the log; the log files have everything).`;
    this.sink.send(this.format('engine.notice', { level: 'warning', message }));
  }
}
