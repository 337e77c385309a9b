import type { EventEmitter } from 'node:events';
import { events, type EventName, type EventPayload } from '../../shared/contract';
import type { SystemProcessList } from '../../shared/monitoring';
import type { EngineEventMap, EngineMonitorTick, EnginePayload, EngineSampleTick, EngineSystemTick } from '../engine/eventCoalescer';
import type { FaultLog } from './faultLog';
import type { ViewerId } from './viewer';

/** A viewer's own version of an event, when it has one; undefined: the shared payload is its. */
export type ViewerPayload<E extends EventName> = (viewer: ViewerId) => EventPayload<E> | undefined;

/**
 * The whole form of an event sent as a change (samples.tick): what a recipient that did not get
 * every change before is sent instead (see EngineSampleTick).
 */
export type WholePayload<E extends EventName> = () => EventPayload<E>;

/** The viewers an event is meant for (system.tick: those showing the system view); every one when absent. */
export type EventAudience = (viewer: ViewerId) => boolean;

/**
 * Receives each event once: the payload every client gets, (for monitor.tick) what a given
 * viewer gets instead, (for samples.tick) the whole tick for a recipient that missed one, and
 * (for system.tick) the viewers it is meant for.
 */
export type EventForwarder = <E extends EventName>(
  name: E,
  payload: EventPayload<E>,
  forViewer?: ViewerPayload<E>,
  whole?: WholePayload<E>,
  audience?: EventAudience,
) => void;

type Listener = (payload: EnginePayload<EventName>) => void;
type Subscribe = (name: EventName, listener: Listener) => unknown;

/**
 * monitor.tick carries the process lists of every open system view: each viewer is to get
 * only the list of its own query (as `processes`), the others none.
 */
export function splitMonitorTick(tick: EngineMonitorTick): { shared: EventPayload<'monitor.tick'>; forViewer?: ViewerPayload<'monitor.tick'> } {
  const { processLists, ...shared } = tick;
  if (!processLists || processLists.length === 0) return { shared };
  const byViewer = new Map<ViewerId, SystemProcessList>();
  for (const { viewers, list } of processLists) for (const viewer of viewers) byViewer.set(viewer, list);
  return {
    shared,
    forViewer: (viewer) => {
      const list = byViewer.get(viewer);
      return list ? { ...shared, processes: list } : undefined;
    },
  };
}

/**
 * Subscribes to every event of the contract at once (both hosts forward them all the
 * same way: the engine has already batched them per tick). Returns a disposer.
 */
export function forwardEngineEvents(emitter: EventEmitter<EngineEventMap>, forward: EventForwarder): () => void {
  const on = emitter.on.bind(emitter) as Subscribe;
  const off = emitter.off.bind(emitter) as Subscribe;
  const listeners = (Object.keys(events) as EventName[]).map((name) => {
    const listener: Listener =
      name === 'monitor.tick'
        ? (payload) => {
            const { shared, forViewer } = splitMonitorTick(payload as EngineMonitorTick);
            forward('monitor.tick', shared, forViewer);
          }
        : name === 'samples.tick'
          ? (payload) => {
              // The function stays here: no client can be sent it (IPC clones payloads, JSON drops it).
              const { whole, ...change } = payload as EngineSampleTick;
              forward('samples.tick', change, undefined, whole);
            }
          : name === 'system.tick'
            ? (payload) => {
                const { viewers, ...stats } = payload as EngineSystemTick;
                forward('system.tick', stats, undefined, undefined, (viewer) => viewers.includes(viewer));
              }
            : (payload) => forward(name, payload as EventPayload<EventName>);
    on(name, listener);
    return [name, listener] as const;
  });
  return () => {
    for (const [name, listener] of listeners) off(name, listener);
  };
}

/** Who gets the engine's events in one host (WebSocket tabs, CLI socket clients, event streams), and how. */
export interface EventBroadcast<R> {
  emitter: EventEmitter<EngineEventMap>;
  /** Read at each event: recipients come and go. */
  recipients: Iterable<R>;
  viewerOf(recipient: R): ViewerId;
  /** Its subscription or filter; every event when absent. */
  wants?(recipient: R, name: EventName): boolean;
  /**
   * True when its recipients chose their events (a subscription, a filter): each gets what it
   * chose, also an event meant for some viewers only (system.tick). Otherwise (a UI connection)
   * such an event goes only to the viewers it is meant for.
   */
  chosen?: boolean;
  /**
   * Queues the serialized event for it (under its flow control). `whole`, for an event sent as a
   * change: the whole form, serialized (once for all who ask), for a recipient that missed one.
   */
  send<E extends EventName>(recipient: R, name: E, payload: EventPayload<E>, message: string, whole?: () => string | undefined): void;
  serialize<E extends EventName>(name: E, payload: EventPayload<E>): string;
  fault: FaultLog;
  /** Sending to it threw: it is dropped, the others go on. */
  dropped(recipient: R, what: string, error: unknown): void;
}

/**
 * Forwards every engine event to each recipient that wants it, serialized once for all who get
 * the shared payload (a viewer's own version of monitor.tick apart). A payload that cannot be
 * serialized is a bug: reported, and sent to no one. Returns a disposer.
 */
export function broadcastEngineEvents<R>(broadcast: EventBroadcast<R>): () => void {
  const serialize = <E extends EventName>(name: E, payload: EventPayload<E>): string | undefined => {
    try {
      return broadcast.serialize(name, payload);
    } catch (error) {
      broadcast.fault(`serializing event ${name} failed (not sent)`, error);
      return undefined;
    }
  };
  return forwardEngineEvents(broadcast.emitter, (name, payload, forViewer, whole, audience) => {
    const only = broadcast.chosen ? undefined : audience;
    let shared: string | undefined | null = null;
    let wholeMessage: string | undefined | null = null;
    const serializedWhole = whole && (() => (wholeMessage === null ? (wholeMessage = serialize(name, whole())) : wholeMessage));
    for (const recipient of broadcast.recipients) {
      if (broadcast.wants && !broadcast.wants(recipient, name)) continue;
      try {
        if (only && !only(broadcast.viewerOf(recipient))) continue;
        const own = forViewer?.(broadcast.viewerOf(recipient));
        const message = own ? serialize(name, own) : shared === null ? (shared = serialize(name, payload)) : shared;
        if (message !== undefined) broadcast.send(recipient, name, own ?? payload, message, serializedWhole);
      } catch (error) {
        broadcast.dropped(recipient, `sending ${name}`, error);
      }
    }
  });
}
