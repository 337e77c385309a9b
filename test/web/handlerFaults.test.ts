import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEventMap } from '../../electron/engine/eventCoalescer';
import type { Dispatch } from '../../electron/host/dispatch';
import { allowedHostNames, type AccessPolicy } from '../../electron/web/auth';
import { createEventStreams } from '../../electron/web/api/eventStreams';
import { createHttpServer } from '../../electron/web/httpServer';
import { LoginCodes } from '../../electron/web/loginCodes';
import { createWsBridge, type WsBridge } from '../../electron/web/wsBridge';
import { fakeRendererDir, rawRequest, removeFakeRenderers, TestClient, TEST_TOKEN, tryUpgrade } from './helpers';

/**
 * A bare HTTP server and WebSocket bridge whose parts the test makes fail: a policy that
 * throws, a dispatch that throws, an event that cannot be serialized, a welcome that throws.
 */
async function faultyServer(faults: { policy?: () => boolean; dispatch?: Dispatch; welcome?: () => never }) {
  const logged: { headline: string; error: unknown }[] = [];
  const logFault = (headline: string, error: unknown) => logged.push({ headline, error });
  const engineEvents = new EventEmitter<EngineEventMap>();
  const dispatch = faults.dispatch ?? (async () => ({ ok: true, value: {} }) as never);
  const bridge: WsBridge = createWsBridge({
    engineEvents,
    dispatch,
    welcomeEvents: faults.welcome ?? (() => []),
    logFault,
  });
  const eventStreams = createEventStreams({ engineEvents, welcomeEvents: () => [], logFault });
  const api = { dispatch, eventStreams, metrics: { contentType: 'text/plain', render: async () => '' }, openApiJson: () => '{}' };
  let policy: AccessPolicy = { token: TEST_TOKEN, port: -1, allowedHosts: new Set() };
  const server: Server = createHttpServer({
    policy: () => {
      if (faults.policy?.()) throw new Error('injected fault in the access policy');
      return policy;
    },
    loginCodes: new LoginCodes(),
    rendererDir: fakeRendererDir(),
    bridge,
    api,
    logFault,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  policy = { ...policy, port, allowedHosts: allowedHostNames('127.0.0.1') };
  const close = async () => {
    await bridge.close();
    eventStreams.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  servers.push(close);
  return { port, logged, engineEvents, bridge };
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
  removeFakeRenderers();
});

describe('a handler that throws fails its one operation, never the server', () => {
  it('HTTP: answers 500, logs the stack, and serves the next request', async () => {
    let failing = true;
    const { port, logged } = await faultyServer({ policy: () => failing });
    const failed = await rawRequest(port, `/?token=${TEST_TOKEN}`);
    expect(failed.status).toBe(500);
    expect(failed.body).toContain('internal error');
    expect(failed.body).not.toContain('injected');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.headline).toContain('HTTP GET request failed');
    expect((logged[0]!.error as Error).stack).toContain('handlerFaults.test.ts');
    failing = false;
    expect((await rawRequest(port, `/?token=${TEST_TOKEN}`)).status).toBe(200);
  });

  it('upgrade: drops that connection, logs, and accepts the next one', async () => {
    let failing = true;
    const { port, logged } = await faultyServer({ policy: () => failing });
    const origin = `http://127.0.0.1:${port}`;
    await expect(tryUpgrade(`ws://127.0.0.1:${port}/ws?token=${TEST_TOKEN}`, { origin })).rejects.toThrow();
    expect(logged.map((l) => l.headline)).toEqual(['a WebSocket upgrade failed (connection dropped)']);
    failing = false;
    const client = await TestClient.connect(port);
    client.close();
  });

  it('WebSocket message: a dispatch that throws answers INTERNAL; the connection goes on', async () => {
    let calls = 0;
    const dispatch: Dispatch = async () => {
      if (++calls === 1) throw new Error('injected fault in dispatch');
      return { ok: true, value: { jobs: [], queue: [] } };
    };
    const { port, logged } = await faultyServer({ dispatch });
    const client = await TestClient.connect(port);
    expect(await client.invoke('jobs.list', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'command jobs.list failed inside Procdeck (logged by the server)' } });
    expect(logged.map((l) => l.headline)).toEqual(['command jobs.list failed (answered INTERNAL)']);
    expect(await client.invoke('jobs.list', {})).toEqual({ ok: true, value: { jobs: [], queue: [] } });
    client.close();
  });

  it('events: one that cannot be serialized is logged and skipped; the next arrives', async () => {
    const { port, logged, engineEvents } = await faultyServer({});
    const client = await TestClient.connect(port);
    const emit = engineEvents.emit.bind(engineEvents) as (name: string, payload: unknown) => boolean;
    emit('engine.notice', { level: 'warning', message: 10n });
    emit('engine.notice', { level: 'warning', message: 'after the bad one' });
    const notice = await client.waitForEvent('engine.notice', () => true);
    expect(notice.message).toBe('after the bad one');
    expect(logged.map((l) => l.headline)).toEqual(['serializing event engine.notice failed (not sent)']);
    client.close();
  });

  it('welcome: a client whose welcome fails is dropped alone', async () => {
    let failing = true;
    const { port, logged, bridge } = await faultyServer({
      welcome: () => {
        if (failing) throw new Error('injected fault in the welcome');
        return [] as never;
      },
    });
    const origin = `http://127.0.0.1:${port}`;
    const first = await tryUpgrade(`ws://127.0.0.1:${port}/ws?token=${TEST_TOKEN}`, { origin });
    if (!('opened' in first)) throw new Error(`upgrade refused: ${first.status}`);
    if (first.opened.readyState !== first.opened.CLOSED) await once(first.opened, 'close');
    expect(logged[0]?.headline).toMatch(/^welcome for WebSocket client ws-1 failed/);
    failing = false;
    const second = await TestClient.connect(port);
    expect(bridge.clientCount).toBe(1);
    second.close();
  });
});
