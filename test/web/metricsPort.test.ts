import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ProcdeckMetrics } from '../../electron/host/metrics/procdeckMetrics';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import { listenForMetrics } from '../../electron/web/metricsPort';
import { closeEngines, openEngine } from '../engine/helpers';
import { apiCall, apiPost, errorOf, httpCall } from './apiHelpers';
import { parseExposition, seriesOf } from './exposition';
import { closeHosts, rawExchange, removeFakeRenderers, startTestHost, statusOf } from './helpers';
import { PROM_CLIENT_LINT, promtoolCheck } from './promtool';

const blockers: Server[] = [];
afterEach(async () => {
  await closeHosts();
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
afterAll(closeEngines);
afterAll(removeFakeRenderers);

/** A loopback port some other program holds. */
async function takenPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  blockers.push(server);
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on now (the kernel's choice, released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const scrapeWithoutToken = (port: number, headers: Record<string, string> = {}) => httpCall(port, { method: 'GET', path: '/metrics', headers });

describe('the metrics port of the settings', () => {
  it('opens on settings.update, serves /metrics without a token on 127.0.0.1, and closes again on null', async () => {
    const { host, engine } = await startTestHost();
    expect(host.metricsPort).toBeNull();
    engine.jobs.start({ name: 'port job', command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    const port = await freePort();
    expect((await apiCall(host.port, 'settings.update', { metricsPort: port })).metricsPort).toBe(port);
    expect(host.metricsPort).toBe(port);

    const scraped = await scrapeWithoutToken(port);
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(seriesOf(parseExposition(scraped.text), 'procdeck_job_state', { job_name: 'port job' })).toHaveLength(1);
    expect(promtoolCheck(scraped.text).problems.filter((p) => !PROM_CLIENT_LINT.includes(p))).toEqual([]);

    expect((await apiCall(host.port, 'settings.update', { metricsPort: null })).metricsPort).toBeNull();
    expect(host.metricsPort).toBeNull();
    await expect(scrapeWithoutToken(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('serves nothing but GET /metrics, and no web page: a foreign Host (DNS rebinding) and any Origin are refused', async () => {
    const { host } = await startTestHost();
    const port = await freePort();
    await apiCall(host.port, 'settings.update', { metricsPort: port });
    expect((await scrapeWithoutToken(port, { Host: `attacker.example:${port}` })).status).toBe(421);
    expect((await scrapeWithoutToken(port, { Origin: `http://127.0.0.1:${port}` })).status).toBe(403);
    expect((await scrapeWithoutToken(port, { Host: `localhost:${port}` })).status).toBe(200);
    expect((await httpCall(port, { method: 'GET', path: '/api/v1/jobs.list' })).status).toBe(404);
    expect((await httpCall(port, { method: 'GET', path: '/' })).status).toBe(404);
    expect((await httpCall(port, { method: 'POST', path: '/metrics' })).status).toBe(405);
    const twoHosts = await rawExchange(port, `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: attacker.example\r\nConnection: close\r\n\r\n`);
    expect(statusOf(twoHosts)).toBe(400);
    // Still serving after all that.
    expect((await scrapeWithoutToken(port)).status).toBe(200);
  });

  it('refuses a port it cannot open, naming the field, with the settings and the open port unchanged', async () => {
    const { host } = await startTestHost();
    const first = await freePort();
    await apiCall(host.port, 'settings.update', { metricsPort: first });
    const taken = await takenPort();

    const refused = await apiPost(host.port, 'settings.update', { metricsPort: taken, maxConcurrent: 3 });
    expect(refused.status).toBe(403);
    expect(errorOf(refused)).toMatchObject({ code: 'SYSTEM_REFUSED', field: 'metricsPort', message: `metrics port ${taken} on 127.0.0.1 is already in use` });
    // Nothing of the change was saved, and the port in force still serves.
    const settings = await apiCall(host.port, 'settings.get', {});
    expect(settings).toMatchObject({ metricsPort: first });
    expect(settings.maxConcurrent).not.toBe(3);
    expect(host.metricsPort).toBe(first);
    expect((await scrapeWithoutToken(first)).status).toBe(200);

    // The main port of the host itself is taken too.
    expect(errorOf(await apiPost(host.port, 'settings.update', { metricsPort: host.port })).code).toBe('SYSTEM_REFUSED');
    // Out of range: the settings schema refuses it.
    const outOfRange = await apiPost(host.port, 'settings.update', { metricsPort: 70_000 });
    expect(outOfRange.status).toBe(400);
    expect(errorOf(outOfRange).field).toBe('metricsPort');
  });

  it('closes the new port again when the engine refuses the rest of the change', async () => {
    const { host } = await startTestHost();
    const port = await freePort();
    const refused = await apiPost(host.port, 'settings.update', { metricsPort: port, commandPolicy: { allow: ['procdeck-no-such-program'], deny: [] } });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(host.metricsPort).toBeNull();
    expect((await apiCall(host.port, 'settings.get', {})).metricsPort).toBeNull();
    await expect(scrapeWithoutToken(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('opens the saved port when the host starts, and reports one it cannot open without failing', async () => {
    const port = await freePort();
    const { host } = await startTestHost({ engine: openEngine({ settings: { metricsPort: port } }) });
    expect(host.metricsPort).toBe(port);
    expect((await scrapeWithoutToken(port)).status).toBe(200);

    const taken = await takenPort();
    const blocked = await startTestHost({ engine: openEngine({ settings: { metricsPort: taken } }) });
    expect(blocked.host.metricsPort).toBeNull();
    expect(blocked.host.notices()).toEqual([expect.stringContaining(`metrics port ${taken} on 127.0.0.1 is already in use`)]);
    // The API works, and saving other settings is not held up by the port that could not be opened.
    expect((await apiCall(blocked.host.port, 'settings.update', { maxConcurrent: 5 })).maxConcurrent).toBe(5);
  });

  it('refuses to listen anywhere but loopback', async () => {
    const engine = openEngine();
    const metrics = new ProcdeckMetrics({ dispatch: createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' })), events: engine.events });
    try {
      for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
        await expect(listenForMetrics(metrics, 0, host), host).rejects.toThrow('listens on loopback only');
      }
    } finally {
      metrics.dispose();
    }
  });
});
