import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tokenCookieName } from '../../electron/web/auth';
import { closeEngines } from '../engine/helpers';
import { closeHosts, rawExchange, rawRequest, removeFakeRenderers, startTestHost, statusOf, TestClient, TEST_TOKEN, tryUpgrade, upgradeRequest } from './helpers';

afterEach(closeHosts);
afterAll(closeEngines);
afterAll(removeFakeRenderers);

describe('browser host over HTTP', () => {
  it('refuses requests without the token or with a wrong one (401)', async () => {
    const { host } = await startTestHost();
    expect((await rawRequest(host.port, '/')).status).toBe(401);
    expect((await rawRequest(host.port, '/assets/app.js')).status).toBe(401);
    expect((await rawRequest(host.port, `/?token=${'0'.repeat(32)}`)).status).toBe(401);
    expect((await rawRequest(host.port, '/', { Cookie: `${tokenCookieName(host.port)}=wrong` })).status).toBe(401);
  });

  it('serves the page with the token, sets an HttpOnly SameSite=Strict cookie, and accepts the cookie after', async () => {
    const { host } = await startTestHost();
    const page = await rawRequest(host.port, `/?token=${TEST_TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Procdeck test');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain(`${tokenCookieName(host.port)}=${TEST_TOKEN}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');

    const asset = await rawRequest(host.port, '/assets/app.js', { Cookie: cookie.split(';')[0]! });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('sends a strict CSP, nosniff and no-referrer', async () => {
    const { host } = await startTestHost();
    const page = await rawRequest(host.port, `/?token=${TEST_TOKEN}`);
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      `connect-src 'self' ws://127.0.0.1:${host.port}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('lets no cache keep the token page, nor any other answer (no-store, not no-cache)', async () => {
    const { host } = await startTestHost();
    for (const path of [`/?token=${TEST_TOKEN}`, `/assets/app.js?token=${TEST_TOKEN}`, '/']) {
      expect((await rawRequest(host.port, path)).headers['cache-control'], path).toBe('no-store');
    }
  });

  it('refuses a request with two Host headers (400), ours first or last, over HTTP and on upgrade', async () => {
    const { host, hostHeader } = await startTestHost();
    const ours = `Host: ${hostHeader}`;
    const foreign = `Host: attacker.example:${host.port}`;
    for (const hosts of [[ours, foreign], [foreign, ours], [ours, ours]]) {
      const page = await rawExchange(host.port, [`GET /?token=${TEST_TOKEN} HTTP/1.1`, ...hosts, 'Connection: close', '', ''].join('\r\n'), { endWrite: false });
      expect(statusOf(page), hosts.join(' + ')).toBe(400);
      expect(page).toContain('more than one host header');
      const upgrade = await rawExchange(host.port, upgradeRequest(`/ws?token=${TEST_TOKEN}`, [...hosts, `Origin: http://${hostHeader}`]));
      expect(statusOf(upgrade), `upgrade with ${hosts.join(' + ')}`).toBe(400);
    }
    // Two Origin headers are refused the same way.
    const origins = await rawExchange(host.port, upgradeRequest(`/ws?token=${TEST_TOKEN}`, [ours, `Origin: http://${hostHeader}`, 'Origin: http://attacker.example']));
    expect(statusOf(origins)).toBe(400);
    // The same requests with one Host header are served.
    expect(statusOf(await rawExchange(host.port, [`GET /?token=${TEST_TOKEN} HTTP/1.1`, ours, 'Connection: close', '', ''].join('\r\n'), { endWrite: false }))).toBe(200);
    expect(statusOf(await rawExchange(host.port, upgradeRequest(`/ws?token=${TEST_TOKEN}`, [ours, `Origin: http://${hostHeader}`]), { untilHead: true }))).toBe(101);
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    const { host } = await startTestHost();
    const response = await rawRequest(host.port, `/?token=${TEST_TOKEN}`, { Host: `attacker.example:${host.port}` });
    expect(response.status).toBe(421);
    expect((await rawRequest(host.port, `/?token=${TEST_TOKEN}`, { Host: `127.0.0.1:${host.port + 1}` })).status).toBe(421);
    expect((await rawRequest(host.port, `/?token=${TEST_TOKEN}`, { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses a state-changing request from another origin (403) and allows none at all over HTTP', async () => {
    const { host } = await startTestHost();
    const foreign = await rawRequest(host.port, `/?token=${TEST_TOKEN}`, { Origin: 'http://attacker.example' }, 'POST');
    expect(foreign.status).toBe(403);
    const own = await rawRequest(host.port, `/?token=${TEST_TOKEN}`, { Origin: `http://127.0.0.1:${host.port}` }, 'POST');
    expect(own.status).toBe(405);
  });

  it('refuses path traversal', async () => {
    const { host } = await startTestHost();
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const response = await rawRequest(host.port, `${path}?token=${TEST_TOKEN}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.body, path).not.toContain('TOP SECRET');
    }
  });

  it('will not listen beyond loopback unless told the page goes out unencrypted', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      await expect(startTestHost({ host }), host).rejects.toThrow(/is not a loopback address.*--expose-unencrypted/);
    }
  });

  it('answers a clear page when the renderer is not built', async () => {
    const { host } = await startTestHost({ rendererDir: '/nonexistent/renderer' });
    const page = await rawRequest(host.port, `/?token=${TEST_TOKEN}`);
    expect(page.status).toBe(503);
    expect(page.body).toContain('npm run build');
  });
});

describe('browser host WebSocket', () => {
  it('refuses an upgrade without the token, with a wrong one, from a foreign Host or Origin', async () => {
    const { host } = await startTestHost();
    const origin = `http://127.0.0.1:${host.port}`;
    const base = `ws://127.0.0.1:${host.port}/ws`;
    expect(await tryUpgrade(base, { origin })).toEqual({ status: 401 });
    expect(await tryUpgrade(`${base}?token=${'f'.repeat(32)}`, { origin })).toEqual({ status: 401 });
    expect(await tryUpgrade(`${base}?token=${TEST_TOKEN}`, { origin, headers: { Host: `rebound.example:${host.port}` } })).toEqual({ status: 421 });
    expect(await tryUpgrade(`${base}?token=${TEST_TOKEN}`, { origin: 'http://attacker.example' })).toEqual({ status: 403 });
    expect(await tryUpgrade(`${base}?token=${TEST_TOKEN}`, { origin: `http://127.0.0.1:${host.port + 1}` })).toEqual({ status: 403 });
    // Non-browser clients that send no Origin at all are refused too.
    expect(await tryUpgrade(`${base}?token=${TEST_TOKEN}`)).toEqual({ status: 403 });
    expect(host.clientCount).toBe(0);
  });

  it('with token, Host and Origin right: says hello, runs a job and pushes its end', async () => {
    const { host } = await startTestHost();
    const client = await TestClient.connect(host.port);
    expect(client.messages[0]).toEqual({ type: 'hello', host: 'browser' });

    const started = await client.invoke('jobs.start', { spec: { command: { kind: 'shell', script: 'echo hi' } } });
    expect(started.ok).toBe(true);
    const jobId = started.ok ? started.value.job.id : '';
    const changed = await client.waitForEvent('jobs.changed', ({ jobs }) => jobs.some((j) => j.id === jobId && j.state === 'exited'));
    expect(changed.jobs.find((j) => j.id === jobId)).toMatchObject({ state: 'exited', exitCode: 0 });
    await client.waitForEvent('logs.appended', ({ batches }) => batches.some((b) => b.jobId === jobId && b.chunks.some((c) => c.text.includes('hi'))));

    const info = await client.invoke('engine.info', {});
    expect(info).toMatchObject({ ok: true, value: { host: 'browser', version: 'test' } });
    client.close();
  });

  it('accepts the cookie instead of the query token', async () => {
    const { host } = await startTestHost();
    const outcome = await tryUpgrade(`ws://127.0.0.1:${host.port}/ws`, {
      origin: `http://127.0.0.1:${host.port}`,
      headers: { Cookie: `${tokenCookieName(host.port)}=${TEST_TOKEN}` },
    });
    expect('opened' in outcome).toBe(true);
    if ('opened' in outcome) outcome.opened.terminate();
  });

  it('refuses an upgrade on any other path', async () => {
    const { host } = await startTestHost();
    expect(await tryUpgrade(`ws://127.0.0.1:${host.port}/other?token=${TEST_TOKEN}`, { origin: `http://127.0.0.1:${host.port}` })).toEqual({ status: 404 });
  });

  it('tells each new client what crash recovery did and what went wrong while opening', async () => {
    const { host, engine } = await startTestHost();
    engine.recovered = [{ jobId: 'j1', pgid: 4242, killedPids: [4242, 4243], command: 'sleep 1000' }];
    const client = await TestClient.connect(host.port);
    await client.waitForEvent('engine.recovered', ({ groups }) => groups[0]?.pgid === 4242);
    client.close();
  });
});
