import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventPayload, WsServerMessage } from '../../shared/contract';
import { closeEngines, openEngine, waitFor, waitForState } from '../engine/helpers';
import { closeHosts, removeFakeRenderers, startTestHost, TestClient } from './helpers';
import { SseClient } from './sseClient';

afterEach(closeHosts);
afterAll(closeEngines);
afterAll(removeFakeRenderers);

type Tick = EventPayload<'samples.tick'>;
const wsTicks = (client: TestClient): Tick[] =>
  client.messages.filter((m): m is Extract<WsServerMessage, { type: 'event' }> => m.type === 'event' && m.name === 'samples.tick').map((m) => m.payload as Tick);

describe('a client that connects while jobs run', () => {
  it('is sent a whole sample tick first (settled jobs included), then the changes only, over the WebSocket and the event stream', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const { host } = await startTestHost({ engine });
    const early = await TestClient.connect(host.port);
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    await waitForState(engine, job.id, 'running');
    // Settled: the ticks the first client gets no longer name the sleeper.
    await early.waitUntil(() => wsTicks(early).find((t) => !t.full && t.samples.length === 0), 'a tick with no change');

    const late = await TestClient.connect(host.port);
    const sse = await SseClient.open(host.port, '?events=samples.tick');
    try {
      await late.waitUntil(() => (wsTicks(late).length >= 2 ? true : undefined), 'two ticks');
      const [first, second] = wsTicks(late);
      expect(first).toMatchObject({ full: true, samples: [{ jobId: job.id, processes: 1 }] });
      expect(second?.full).toBeUndefined();
      const streamed = await waitFor(() => (sse.events.length >= 2 ? sse.events.map((e) => e.payload as Tick) : undefined), 'two ticks on the event stream');
      expect(streamed[0]).toMatchObject({ full: true, samples: [{ jobId: job.id }] });
      expect(streamed[1]?.full).toBeUndefined();
    } finally {
      sse.close();
      late.close();
      early.close();
    }
  });
});
