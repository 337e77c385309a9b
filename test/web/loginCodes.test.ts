import { connect, createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tokenCookieName } from '../../electron/web/auth';
import { LOGIN_CODE_TTL_MS, LoginCodes } from '../../electron/web/loginCodes';
import { isOwnMachineAddress, socketEntry, socketOwnerUid } from '../../electron/web/peerUser';
import { closeEngines } from '../engine/helpers';
import { closeHosts, rawRequest, removeFakeRenderers, startTestHost, TEST_TOKEN, tryUpgrade } from './helpers';

afterEach(closeHosts);
afterAll(closeEngines);
afterAll(removeFakeRenderers);

describe('login codes', () => {
  it('are 128-bit, redeem once, expire after their time, and a wrong code redeems nothing', () => {
    let now = 1_000;
    const codes = new LoginCodes(LOGIN_CODE_TTL_MS, () => now);
    const first = codes.issue();
    const second = codes.issue();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
    expect(codes.redeem('0'.repeat(32))).toBe(false);
    expect(codes.redeem(first)).toBe(true);
    expect(codes.redeem(first)).toBe(false);
    now += LOGIN_CODE_TTL_MS - 1;
    const late = codes.issue();
    now += 1;
    // `second` is exactly a minute old now: expired; `late` is not.
    expect(codes.redeem(second)).toBe(false);
    expect(codes.redeem(late)).toBe(true);
  });
});

describe('logging in with a login code over HTTP', () => {
  it('exchanges a fresh code for the cookie with a redirect to /, once', async () => {
    const { host } = await startTestHost();
    const url = new URL(host.loginUrl());
    expect(url.origin).toBe(host.origin);
    expect(url.search).not.toContain(TEST_TOKEN);
    const path = `${url.pathname}${url.search}`;
    const login = await rawRequest(host.port, path);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    expect(login.headers['cache-control']).toBe('no-store');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toContain(`${tokenCookieName(host.port)}=${TEST_TOKEN}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(login.body).not.toContain(TEST_TOKEN);

    // The cookie works where the redirect leads, and for the WebSocket.
    const jar = cookie.split(';')[0]!;
    expect((await rawRequest(host.port, '/', { Cookie: jar })).status).toBe(200);
    const socket = await tryUpgrade(`ws://127.0.0.1:${host.port}/ws`, { origin: `http://127.0.0.1:${host.port}`, headers: { Cookie: jar } });
    expect('opened' in socket).toBe(true);
    if ('opened' in socket) socket.opened.terminate();

    // Used up: the same code again is refused, and says why.
    const again = await rawRequest(host.port, path);
    expect(again.status).toBe(401);
    expect(again.body).toContain('already used or has expired');
    expect(again.headers['set-cookie']).toBeUndefined();
    // A browser that already has the cookie and reopens the old link lands on / without it.
    const reopened = await rawRequest(host.port, path, { Cookie: jar });
    expect(reopened).toMatchObject({ status: 303, headers: { location: '/' } });
    expect(reopened.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a code nobody issued, one on a WebSocket upgrade, and one from a foreign Host', async () => {
    const { host } = await startTestHost();
    expect((await rawRequest(host.port, `/?login=${'f'.repeat(32)}`)).status).toBe(401);
    const code = new URL(host.loginUrl()).searchParams.get('login')!;
    expect(await tryUpgrade(`ws://127.0.0.1:${host.port}/ws?login=${code}`, { origin: `http://127.0.0.1:${host.port}` })).toEqual({ status: 401 });
    expect((await rawRequest(host.port, `/?login=${code}`, { Host: `attacker.example:${host.port}` })).status).toBe(421);
    // None of that used the code up.
    expect((await rawRequest(host.port, `/?login=${code}`)).status).toBe(303);
  });

  it('issued before the token was rotated, is refused after: it stood for the old token', async () => {
    const { host } = await startTestHost({ rotateToken: () => ({ token: 'rotated0123456789abcdef' }) });
    const code = new URL(host.loginUrl()).searchParams.get('login')!;
    const rotated = await host.dispatch('access.rotateToken', {});
    expect(rotated).toEqual({ ok: true, value: { url: `${host.origin}/?token=rotated0123456789abcdef` } });
    expect(host.url).toBe(`${host.origin}/?token=rotated0123456789abcdef`);
    expect((await rawRequest(host.port, `/?login=${code}`)).status).toBe(401);
    const fresh = new URL(host.loginUrl()).searchParams.get('login')!;
    const login = await rawRequest(host.port, `/?login=${fresh}`);
    expect(String(login.headers['set-cookie'])).toContain(`${tokenCookieName(host.port)}=rotated0123456789abcdef`);
  });
});

describe('who is at the other end of a loopback connection', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('is read from /proc/net/tcp: our own uid for our own connection, nothing for one that does not exist', async () => {
    server = createServer((socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const client = connect(port, '127.0.0.1');
    await once(client, 'connect');
    const from = { address: client.localAddress!, port: client.localPort! };
    const to = { address: '127.0.0.1', port };
    expect(socketOwnerUid(from, to)).toBe(process.getuid!());
    expect(socketOwnerUid({ ...from, port: from.port === 1 ? 2 : 1 }, to)).toBeUndefined();
    client.destroy();
  });

  it('reads IPv6 and IPv4-mapped rows in the byte order /proc prints them', () => {
    const table = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0000000000000000FFFF00000100007F:D431 0000000000000000FFFF00000100007F:1CFC 01 00000000:00000000 00:00000000 00000000 65534        0 1 1',
      '   1: 00000000000000000000000001000000:D432 00000000000000000000000001000000:1CFC 01 00000000:00000000 00:00000000 00000000  1000        0 2 1',
    ].join('\n');
    const read = () => table;
    expect(socketOwnerUid({ address: '::ffff:127.0.0.1', port: 0xd431 }, { address: '::ffff:127.0.0.1', port: 7420 }, read)).toBe(65534);
    expect(socketOwnerUid({ address: '::1', port: 0xd432 }, { address: '::1', port: 7420 }, read)).toBe(1000);
    expect(socketOwnerUid({ address: '::1', port: 0xd431 }, { address: '::1', port: 7420 }, read)).toBeUndefined();
  });

  it("finds the client's row, not the server's row for the same connection (local and remote swapped), wherever it is in the table", () => {
    // A loopback connection is listed twice: the server's accepted socket (local = the
    // server's port) and the client's. Only the client's row names the peer's uid and inode.
    const row = (sl: number, local: string, remote: string, uid: number, inode: number) =>
      `   ${sl}: ${local} ${remote} 01 00000000:00000000 00:00000000 00000000 ${uid}        0 ${inode} 1 0000000000000000 20 4 30 10 -1`;
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
    const server = '0100007F:1CFC';
    const client = '0100007F:D431';
    const table = [header, row(0, server, client, 0, 111), row(1, '0100007F:1CFD', client, 7, 222), row(2, client, server, 1000, 333)].join('\n');
    expect(socketEntry({ address: '127.0.0.1', port: 0xd431 }, { address: '127.0.0.1', port: 7420 }, () => table)).toEqual({ uid: 1000, inode: 333 });
    // Asked the other way round, the server's row answers: the search is by direction.
    expect(socketEntry({ address: '127.0.0.1', port: 7420 }, { address: '127.0.0.1', port: 0xd431 }, () => table)).toEqual({ uid: 0, inode: 111 });
    expect(socketEntry({ address: '127.0.0.1', port: 0xd432 }, { address: '127.0.0.1', port: 7420 }, () => table)).toBeUndefined();
  });

  it("tells this machine's addresses (loopback, an interface's) from another machine's", () => {
    expect(isOwnMachineAddress('127.0.0.1')).toBe(true);
    expect(isOwnMachineAddress('127.3.4.5')).toBe(true);
    expect(isOwnMachineAddress('::1')).toBe(true);
    expect(isOwnMachineAddress('::ffff:127.0.0.1')).toBe(true);
    const own = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && !entry.internal);
    if (own) expect(isOwnMachineAddress(own.address)).toBe(true);
    // TEST-NET-3 and the documentation prefix: never an address of a machine here.
    expect(isOwnMachineAddress('203.0.113.5')).toBe(false);
    expect(isOwnMachineAddress('2001:db8::5')).toBe(false);
    expect(isOwnMachineAddress('::ffff:203.0.113.5')).toBe(false);
  });
});
