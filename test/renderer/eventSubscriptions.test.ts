import { describe, expect, it, vi } from 'vitest';
// Window.procdeck as the renderer's build declares it: the modules loaded below read it.
import type {} from '../../renderer/src/api/windowApi';
import { events, type EventName, type ProcdeckApi } from '../../shared/contract';

// The module that picks the host connection reads window at import; no host here, and these
// tests only hand events to the subscriptions themselves.
vi.mock('../../renderer/src/api/procdeck', () => ({ call: vi.fn(), host: {} }));

const { subscribeToEvents } = await import('../../renderer/src/app/eventSubscriptions');
const { useMachineStore } = await import('../../renderer/src/stores/machineStore');
const { useNoticesStore } = await import('../../renderer/src/stores/noticesStore');

/** A ProcdeckApi that only records subscriptions and lets the test push events through them. */
function recordingApi() {
  const handlers = new Map<string, ((payload: unknown) => void)[]>();
  const api: ProcdeckApi = {
    invoke: () => Promise.reject(new Error('no host in this test')),
    on: (name, handler) => {
      handlers.set(name, [...(handlers.get(name) ?? []), handler as (payload: unknown) => void]);
      return () => {};
    },
  };
  const push = (name: EventName, payload: unknown) => handlers.get(name)?.forEach((handler) => handler(payload));
  return { api, handlers, push };
}

describe('the renderer subscribes to pushed events in one place', () => {
  it('subscribes to every event of the contract exactly once', () => {
    const { api, handlers } = recordingApi();
    subscribeToEvents(api);
    expect([...handlers.keys()].sort()).toEqual(Object.keys(events).sort());
    for (const [name, list] of handlers) expect(list, name).toHaveLength(1);
  });

  it('hands each event to its store', () => {
    const { api, push } = recordingApi();
    subscribeToEvents(api);
    push('system.tick', { at: 5000, cpu: 12, cores: [10, 14], memory: { total: 8e9, used: 2e9, available: 6e9, swapTotal: 0, swapUsed: 0 }, load: [1, 1, 1] });
    expect(useMachineStore.getState().history.map((point) => point.cores)).toEqual([[10, 14]]);
    push('engine.notice', { level: 'warning', message: 'disk nearly full' });
    expect(useNoticesStore.getState().notices.at(-1)).toMatchObject({ kind: 'warning', text: 'disk nearly full' });
  });
});
