import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../electron/web/clientMessage';
import { closeEngines } from '../engine/helpers';
import { closeHosts, removeFakeRenderers, startTestHost, TestClient } from './helpers';

afterEach(closeHosts);
afterAll(closeEngines);
afterAll(removeFakeRenderers);

/** One of each kind of garbage a confused or hostile client might send, cycled. */
function malformedMessage(i: number): string {
  const kinds = [
    () => '{not json',
    () => '',
    () => 'null',
    () => '[1,2,3]',
    () => JSON.stringify({ type: 'invoke' }),
    () => JSON.stringify({ type: 'subscribe', id: i, name: 'jobs.list', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: -1, name: 'jobs.list', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: 'seven', name: 'jobs.list', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 42, request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.nuke', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: '__proto__', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'shell', script: '' } } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'argv', program: 'a\u0000b' } } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'shell', script: 'true' }, timeoutMs: -5 } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'shell', script: 'true' }, env: { set: { 'A=B': 'x' } } } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: 'not an object' }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.kill', request: { jobId: 7 } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.signal', request: { jobId: 'x', signal: 'SIGBOGUS' } }),
  ];
  return kinds[i % kinds.length]!();
}

describe('WebSocket flooded with malformed messages', () => {
  it('answers each with an error result and keeps serving', async () => {
    const { host, engine } = await startTestHost();
    const client = await TestClient.connect(host.port);
    const count = 2000;
    for (let i = 0; i < count; i++) client.sendRaw(malformedMessage(i));
    client.sendRaw(Buffer.from([0xff, 0x00, 0x01]));

    await client.waitUntil(() => (client.resultCount > count ? true : undefined), `${count + 1} results`);
    const results = client.results();
    expect(results).toHaveLength(count + 1);
    for (const { result } of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(['INVALID_REQUEST', 'UNKNOWN_COMMAND', 'NOT_FOUND', 'INVALID_SIGNAL']).toContain(result.error.code);
        expect(result.error.message.length).toBeGreaterThan(0);
      }
    }
    // Messages that carried a usable id are answered under that id; the rest under null.
    expect(results.filter((r) => r.id === null).length).toBeGreaterThan(0);
    expect(results.filter((r) => r.id !== null).length).toBeGreaterThan(0);
    const unknown = results.find((r) => !r.result.ok && r.result.error.code === 'UNKNOWN_COMMAND');
    expect(unknown?.result).toMatchObject({ ok: false, error: { message: expect.stringContaining('jobs.nuke') } });

    const list = await client.invoke('jobs.list', {});
    expect(list).toEqual({ ok: true, value: { jobs: [], queue: [] } });
    expect(engine.jobs.list()).toEqual([]);
    client.close();
  });

  it('answers an oversized message with an error and keeps the connection', async () => {
    const { host } = await startTestHost();
    const client = await TestClient.connect(host.port);
    client.sendRaw(JSON.stringify({ type: 'invoke', id: 1, name: 'jobs.list', request: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    const refused = await client.waitFor((m) => m.type === 'result', 'the refusal');
    expect(refused).toMatchObject({ type: 'result', id: null, result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('larger than') } } });
    expect(await client.invoke('jobs.list', {})).toMatchObject({ ok: true });
    client.close();
  });

  it('closes the connection (1009) only for a frame too large to even buffer', async () => {
    const { host } = await startTestHost();
    const client = await TestClient.connect(host.port);
    const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));
    client.sendRaw('x'.repeat(3 * MAX_MESSAGE_BYTES));
    expect(await closed).toBe(1009);
    // The host itself is fine: a new connection works.
    const next = await TestClient.connect(host.port);
    expect(await next.invoke('jobs.list', {})).toMatchObject({ ok: true });
    next.close();
  });

  it('keeps other clients served while one floods', async () => {
    const { host } = await startTestHost();
    const flooder = await TestClient.connect(host.port);
    const bystander = await TestClient.connect(host.port);
    for (let i = 0; i < 500; i++) flooder.sendRaw(malformedMessage(i));
    expect(await bystander.invoke('jobs.list', {})).toMatchObject({ ok: true });
    flooder.close();
    bystander.close();
  });
});
