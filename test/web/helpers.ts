import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import WebSocket from 'ws';
import type { CommandName, CommandRequest, CommandResult, EventName, EventPayload, WsServerMessage } from '../../shared/contract';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../electron/web/browserHost';
import { openEngine, tempDir } from '../engine/helpers';
import type { Engine } from '../../electron/engine/engine';

export const TEST_TOKEN = '0123456789abcdef0123456789abcdef';

const fakeRenderers: string[] = [];

/** A renderer build stand-in with a secret next to it (outside the served root). */
export function fakeRendererDir(): string {
  const dir = tempDir('procdeck-renderer-');
  fakeRenderers.push(dir);
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Procdeck test</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
  return join(dir, 'renderer');
}

export function removeFakeRenderers(): void {
  for (const dir of fakeRenderers.splice(0)) rmSync(dir, { recursive: true, force: true });
}

const hosts: BrowserHost[] = [];

export async function startTestHost(
  options: Partial<BrowserHostOptions> = {},
): Promise<{ host: BrowserHost; engine: Engine; hostHeader: string }> {
  const engine = options.engine ?? openEngine();
  const host = await startBrowserHost({
    engine,
    token: TEST_TOKEN,
    host: '127.0.0.1',
    port: 0,
    version: 'test',
    rendererDir: fakeRendererDir(),
    ...options,
  });
  hosts.push(host);
  return { host, engine, hostHeader: `127.0.0.1:${host.port}` };
}

export async function closeHosts(): Promise<void> {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP request with the path sent exactly as given (fetch would normalize `..`). */
export function rawRequest(port: number, path: string, headers: OutgoingHttpHeaders = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Bytes written to a fresh TCP connection exactly as given (duplicate headers, broken
 * request lines…); resolves with everything the server sent until it closed the
 * connection, or, with `untilHead`, once a response head has arrived. `endWrite: false`
 * keeps the writing side open (by default it is half-closed: the client has nothing more to say).
 */
export function rawExchange(port: number, bytes: string | Buffer, options: { endWrite?: boolean; untilHead?: boolean; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const received = () => Buffer.concat(chunks).toString('latin1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the answer within ${options.timeoutMs ?? 20_000} ms; got ${JSON.stringify(received().slice(0, 200))}`));
    }, options.timeoutMs ?? 20_000);
    const finish = () => {
      clearTimeout(timer);
      resolve(received());
    };
    socket.on('connect', () => (options.endWrite === false || options.untilHead ? socket.write(bytes) : socket.end(bytes)));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.untilHead && received().includes('\r\n\r\n')) {
        socket.destroy();
        finish();
      }
    });
    // A reset after the answer (the server closed with our bytes unread) still counts as the end.
    socket.on('error', () => undefined);
    socket.on('close', finish);
  });
}

/** The status code of the first response in raw bytes, 0 when there is none. */
export const statusOf = (response: string) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);

/** A WebSocket upgrade request by hand, with any extra header lines. */
export const upgradeRequest = (path: string, headerLines: string[]) =>
  [`GET ${path} HTTP/1.1`, ...headerLines, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', '', ''].join('\r\n');

/** What an upgrade attempt ended in: an open socket, or the HTTP status it was refused with. */
export function tryUpgrade(url: string, options: WebSocket.ClientOptions = {}): Promise<{ opened: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('open', () => resolve({ opened: socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** A WebSocket client speaking the browser host's protocol, recording everything it receives. */
export class TestClient {
  readonly messages: WsServerMessage[] = [];
  resultCount = 0;
  private nextId = 1;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as WsServerMessage;
      this.messages.push(message);
      if (message.type === 'result') this.resultCount++;
      for (const wake of this.waiters) wake();
    });
  }

  static async connect(port: number, options: { token?: string; origin?: string } = {}): Promise<TestClient> {
    const token = options.token ?? TEST_TOKEN;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: options.origin ?? `http://127.0.0.1:${port}` });
    // Listen before the socket opens: the hello may arrive in the same tick as 'open'.
    const client = new TestClient(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    // The hello may already be in flight; make sure it is here before the test goes on.
    await client.waitFor((m) => m.type === 'hello', 'hello');
    return client;
  }

  /** Resolves once `condition` holds; it is checked again whenever a message arrives. */
  waitUntil<T>(condition: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = condition();
        if (value === undefined) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** The first message received (so far or from now on) that matches. */
  waitFor(match: (message: WsServerMessage) => boolean, what: string, timeoutMs?: number): Promise<WsServerMessage> {
    let scanned = 0;
    return this.waitUntil(
      () => {
        // Only look at what arrived since the last look, so a long wait stays linear.
        for (; scanned < this.messages.length; scanned++) if (match(this.messages[scanned]!)) return this.messages[scanned];
        return undefined;
      },
      what,
      timeoutMs,
    );
  }

  waitForEvent<E extends EventName>(name: E, match: (payload: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>> {
    return this.waitFor(
      (m) => m.type === 'event' && m.name === name && match(m.payload as EventPayload<E>),
      `event ${name}`,
      timeoutMs,
    ).then((m) => (m as Extract<WsServerMessage, { type: 'event' }>).payload as EventPayload<E>);
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  async invoke<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResult<N>> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ type: 'invoke', id, name, request }));
    const answer = await this.waitFor((m) => m.type === 'result' && m.id === id, `result ${id}`);
    return (answer as Extract<WsServerMessage, { type: 'result' }>).result as CommandResult<N>;
  }

  results(): Extract<WsServerMessage, { type: 'result' }>[] {
    return this.messages.filter((m): m is Extract<WsServerMessage, { type: 'result' }> => m.type === 'result');
  }

  close(): void {
    this.socket.terminate();
  }
}
