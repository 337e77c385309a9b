import type { EventName, EventPayload } from '../../shared/contract';
import { IPC_CHANNELS } from '../preload/channels';

/** The part of a webContents the pusher uses. */
export interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface PushedEvent {
  name: EventName;
  payload: EventPayload<EventName>;
}

/** Events a page can do without while it loads: it reads the current state once it is up. */
const DROPPABLE: ReadonlySet<EventName> = new Set<EventName>(['logs.appended']);

/**
 * Pushes engine events to the window, holding them until the page says it is ready (it
 * would miss them otherwise). Each page load starts over: what was queued for the old page
 * is dropped, and the new one first gets the welcome events (recovery report, notices).
 * Sample ticks are not held: the first one after the page is ready is sent whole.
 */
export class RendererEventPusher {
  private ready = false;
  private queue: PushedEvent[] = [];
  /**
   * samples.tick is a change against the tick before: ticks are not held while a page loads,
   * and the first one a page is sent is whole (every live job's sample).
   */
  private owesWholeSamples = true;

  constructor(
    private readonly target: EventTarget,
    private readonly welcomeEvents: () => PushedEvent[],
    private readonly maxQueued = 500,
  ) {}

  /** `whole`, for samples.tick: the whole tick, sent instead of the change to a page that has not had every one. */
  push<E extends EventName>(name: E, payload: EventPayload<E>, whole?: () => EventPayload<E>): void {
    if (this.target.isDestroyed()) return;
    if (name === 'samples.tick') {
      this.pushSamples(payload as EventPayload<'samples.tick'>, whole as (() => EventPayload<'samples.tick'>) | undefined);
      return;
    }
    if (this.ready) {
      this.target.send(IPC_CHANNELS.event, name, payload);
      return;
    }
    this.queue.push({ name, payload });
    // Bounded while the page loads: log output goes first (jobs.changed never does).
    if (this.queue.length > this.maxQueued) {
      const index = this.queue.findIndex((e) => DROPPABLE.has(e.name));
      if (index >= 0) this.queue.splice(index, 1);
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  rendererReady(): void {
    if (this.target.isDestroyed()) return;
    this.ready = true;
    const pending = [...this.welcomeEvents(), ...this.queue];
    this.queue = [];
    for (const { name, payload } of pending) this.target.send(IPC_CHANNELS.event, name, payload);
  }

  /** The page is being replaced (reload) or crashed: hold events until the next one is ready. */
  rendererGone(): void {
    this.ready = false;
    this.queue = [];
    this.owesWholeSamples = true;
  }

  private pushSamples(tick: EventPayload<'samples.tick'>, whole: (() => EventPayload<'samples.tick'>) | undefined): void {
    if (!this.ready) return;
    const sent = this.owesWholeSamples && !tick.full && whole ? whole() : tick;
    this.owesWholeSamples = false;
    this.target.send(IPC_CHANNELS.event, 'samples.tick', sent);
  }
}
