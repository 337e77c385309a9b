import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostChild, stopHostChildren, type HostChild } from './hostChild';
import { rawExchange, statusOf, TEST_TOKEN, upgradeRequest } from './helpers';

// The real browser host in its own process (`npm run serve`), so "never dies" is what is
// checked: an exception escaping a handler would end that process.
let host: HostChild;
beforeAll(async () => {
  host = await startHostChild({ token: TEST_TOKEN });
}, 90_000);
afterAll(stopHostChildren);

const hostLine = () => `Host: 127.0.0.1:${host.port}`;
const request = (target: string, headers: string[] = [hostLine()], method = 'GET') => [`${method} ${target} HTTP/1.1`, ...headers, 'Connection: close', '', ''].join('\r\n');

/** A complete request, answered and then closed by the server (Connection: close). */
const answer = async (bytes: string) => {
  const response = await rawExchange(host.port, bytes, { endWrite: false, timeoutMs: 15_000 }).catch((error: Error) => {
    throw new Error(`${JSON.stringify(bytes.slice(0, 100))}: ${error.message}`);
  });
  return statusOf(response);
};

/** A well-formed request with the token must still be served after whatever came before. */
async function expectStillServing(after: string): Promise<void> {
  expect(host.process.exitCode, `the host exited after ${after}`).toBeNull();
  expect(await answer(request(`/ws?token=${TEST_TOKEN}`)), `a good request after ${after}`).toBe(426);
  expect(await answer(request('/')), `a request without the token after ${after}`).toBe(401);
}

/** Deterministic per seed, so a failure can be replayed (the seed is in every message). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('HTTP requests no parser or handler was written for', () => {
  it('answers each odd request target with a 4xx (never an exception), token or not', async () => {
    const long = `/${'a'.repeat(8 * 1024)}`;
    // What each must get without the token and with it (a path that parses is refused for the
    // missing token before anything is looked up); 'any 4xx' where it depends on the file system.
    type Expected = number | 'any 4xx';
    const cases: [string, Expected, Expected][] = [
      ['//', 401, 400],
      ['//[', 401, 'any 4xx'],
      ['///etc/passwd', 401, 'any 4xx'],
      ['/%', 401, 400],
      ['/%00', 401, 400],
      ['/%2', 401, 400],
      ['/\\', 401, 400],
      ['/\\..\\..\\etc\\passwd', 401, 400],
      [long, 414, 414],
      [`http://127.0.0.1:${host.port}/`, 400, 400],
      ['http://attacker.example/', 400, 400],
      ['*', 400, 400],
      ['?token=x', 400, 400],
    ];
    for (const [target, withoutToken, withToken] of cases) {
      for (const [full, expected] of [
        [target, withoutToken],
        [`${target}${target.includes('?') ? '&' : '?'}token=${TEST_TOKEN}`, withToken],
      ] as const) {
        const status = await answer(request(full));
        const what = `${JSON.stringify(full.slice(0, 80))} → ${status}`;
        expect(status >= 400 && status < 500, what).toBe(true);
        if (expected !== 'any 4xx') expect(status, what).toBe(expected);
      }
    }
    // The same targets as WebSocket upgrades.
    for (const [target] of cases) {
      const response = await rawExchange(host.port, upgradeRequest(`${target}?token=${TEST_TOKEN}`, [hostLine(), `Origin: http://127.0.0.1:${host.port}`]), { untilHead: true });
      const status = statusOf(response);
      expect(status >= 400 && status < 500, `upgrade ${JSON.stringify(target.slice(0, 80))} → ${response.slice(0, 60)}`).toBe(true);
    }
    await expectStillServing('odd request targets');
  });

  it('refuses odd query strings, methods, headers and sizes with a 4xx', async () => {
    const cases: string[] = [
      request('/?token=%ZZ'),
      request('/?token=%'),
      request('/?login=%00'),
      request(`/?login=${'f'.repeat(32)}&login=${'0'.repeat(32)}`),
      request('/?token&token&token'),
      request('/', [hostLine(), hostLine()]),
      request('/', [hostLine(), 'Host: attacker.example']),
      request('/', []),
      request('/', ['Host:']),
      request('/', [hostLine(), `X-Big: ${'b'.repeat(20 * 1024)}`]),
      request('/', [hostLine(), ...Array.from({ length: 300 }, (_, i) => `X-Many-${i}: ${i}`)]),
      request('/', [hostLine(), 'no colon here']),
      request('/', [hostLine(), `Cookie: ${'procdeck_token_1=x; '.repeat(500)}`]),
      request('/', [hostLine(), 'Origin: null']),
      request('/', [hostLine()], 'PROPFIND'),
      request('/', [hostLine()], 'DELETE'),
      request('/', [hostLine()], 'get'),
      request('/', [hostLine()], 'X'.repeat(300)),
      request(`/?token=${TEST_TOKEN}`, [hostLine()], 'POST'),
      request(`/?token=${TEST_TOKEN}`, [hostLine(), 'Content-Length: 5'], 'PUT'),
      request(`/?token=${TEST_TOKEN}`, [hostLine(), 'Transfer-Encoding: chunked', 'Content-Length: 3'], 'POST'),
      'GET / HTTP/9.9\r\n\r\n',
      'GET / HTTP/1.1\r\n\r\n',
      'GET /\r\n\r\n',
      `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`,
      '\u0000\u0001\u0002\r\n\r\n',
    ];
    for (const bytes of cases) {
      const status = await answer(bytes);
      const what = JSON.stringify(bytes.slice(0, 100));
      // 0: the server closed without an answer (Node does so for some protocol errors).
      expect(status === 0 || (status >= 400 && status < 500), `${what} → ${status}`).toBe(true);
    }
    await expectStillServing('odd queries, methods and headers');
  });

  it('survives random request lines and headers (seeded; the seed is in every message)', async () => {
    const seed = Number(process.env.PROCDECK_FUZZ_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const alphabet = ['/', '/', '%', '\\', '?', '&', '=', '#', '.', '..', '[', ']', '@', ':', 'a', 'ws', 'token', 'login', '%00', '%2e', '%2f', '%ff', '\u00e9', ' ', '\t', '"', '<', '*', '~'];
    const methods = ['GET', 'GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'CONNECT', 'TRACE', 'BREW', 'get', '', 'G\u0000T'];
    const versions = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/2', 'http/1.1', ''];
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(next() * 40);
      const target = Array.from({ length }, () => pick(alphabet)).join('');
      const headers = [pick([hostLine(), hostLine(), '', 'Host: x', `Host: 127.0.0.1:${host.port}\r\nHost: y`])];
      if (next() < 0.3) headers.push(pick(['Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Origin: http://evil', `Cookie: procdeck_token_${host.port}=${pick(['', TEST_TOKEN.slice(1), '%'])}`]));
      if (next() < 0.2) headers.push(`X-Pad: ${'p'.repeat(Math.floor(next() * 20_000))}`);
      const bytes = `${pick(methods)} ${target} ${pick(versions)}\r\n${headers.filter(Boolean).join('\r\n')}\r\n\r\n`;
      // Half-closed after writing: a complete request may then go unanswered (status 0); what matters is what never happens.
      const status = statusOf(await rawExchange(host.port, bytes));
      expect(status < 500, `seed ${seed}, case ${i}: ${JSON.stringify(bytes.slice(0, 120))} → ${status}`).toBe(true);
      expect(status === 200 || status === 101, `seed ${seed}, case ${i}: served without the token: ${JSON.stringify(bytes.slice(0, 120))}`).toBe(false);
    }
    await expectStillServing(`300 random requests (seed ${seed})`);
  });

  it('survives truncated requests and a request that trickles in byte by byte', async () => {
    const good = request(`/ws?token=${TEST_TOKEN}`);
    // Cut off anywhere: in the request line, in a header, before the blank line, in a body.
    for (const cut of [1, 4, 10, 25, good.length - 3, good.length - 1]) {
      const status = statusOf(await rawExchange(host.port, good.slice(0, cut)));
      expect(status === 0 || status === 400, `cut at ${cut} → ${status}`).toBe(true);
    }
    // Blank lines only (a parser skips them and waits for a request), then the end.
    expect(statusOf(await rawExchange(host.port, '\r\n\r\n\r\n'))).toBe(0);
    const withBody = request(`/?token=${TEST_TOKEN}`, [hostLine(), `Origin: http://127.0.0.1:${host.port}`, 'Content-Length: 1000'], 'POST') + 'only a little';
    expect([0, 405]).toContain(statusOf(await rawExchange(host.port, withBody)));
    const chunked = request(`/?token=${TEST_TOKEN}`, [hostLine(), `Origin: http://127.0.0.1:${host.port}`, 'Transfer-Encoding: chunked'], 'POST') + 'zz\r\nnot hex\r\n';
    expect([0, 400, 405]).toContain(statusOf(await rawExchange(host.port, chunked)));

    // A slow client: one byte per turn of the event loop, then a normal answer.
    const slow = connect(host.port, '127.0.0.1');
    const received: Buffer[] = [];
    slow.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise((resolve) => slow.once('close', resolve));
    await new Promise((resolve) => slow.once('connect', resolve));
    for (const byte of Buffer.from(good)) {
      slow.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await closed;
    expect(statusOf(Buffer.concat(received).toString('latin1'))).toBe(426);

    // Many connections opened and dropped mid-request at once.
    await Promise.all(Array.from({ length: 50 }, (_, i) => rawExchange(host.port, good.slice(0, 5 + i))));
    await expectStillServing('truncated and slow requests');
    expect(host.stderr()).not.toMatch(/uncaught exception|unhandled promise rejection/);
  });
});
