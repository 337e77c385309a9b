import type { EventName, EventPayload } from '../../shared/contract';
import type { Engine } from '../engine/engine';

/** An event a client gets as soon as it connects, before any live one. */
export interface WelcomeEvent {
  name: EventName;
  payload: EventPayload<EventName>;
}

/**
 * What each client hears of on connecting, the same in both hosts: what crash recovery killed
 * at open, the problems found while opening (unreadable saved files…), and the host's own
 * (a metrics port that could not be opened).
 */
export function welcomeEvents(engine: Pick<Engine, 'recovered' | 'openingNotices'>, hostNotices: readonly string[]): WelcomeEvent[] {
  const recovered: WelcomeEvent[] = engine.recovered.length > 0 ? [{ name: 'engine.recovered', payload: { groups: engine.recovered } }] : [];
  const notices = [...engine.openingNotices, ...hostNotices].map((message): WelcomeEvent => ({ name: 'engine.notice', payload: { level: 'warning', message } }));
  return [...recovered, ...notices];
}
