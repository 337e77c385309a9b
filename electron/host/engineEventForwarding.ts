import type { EventEmitter } from 'node:events';
import { events, type EventName, type EventPayload } from '../../shared/contract';
import type { EngineEventMap } from '../engine/eventBatcher';

export type EventForwarder = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

type Listener = (payload: EventPayload<EventName>) => void;
type Subscribe = (name: EventName, listener: Listener) => unknown;

/**
 * Subscribes to every event of the contract at once (both hosts forward them all the
 * same way: the engine has already batched them per tick). Returns a disposer.
 */
export function forwardEngineEvents(emitter: EventEmitter<EngineEventMap>, forward: EventForwarder): () => void {
  const on = emitter.on.bind(emitter) as Subscribe;
  const off = emitter.off.bind(emitter) as Subscribe;
  const listeners = (Object.keys(events) as EventName[]).map((name) => {
    const listener: Listener = (payload) => forward(name, payload);
    on(name, listener);
    return [name, listener] as const;
  });
  return () => {
    for (const [name, listener] of listeners) off(name, listener);
  };
}
