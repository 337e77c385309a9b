import { spawn } from 'node:child_process';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../electron/engine/health/probeSpec';
import { signalGroup } from '../../../electron/engine/supervisor/processGroup';
import { waitFor } from '../helpers';
import { closedPort, startHttpServer, type LoopbackHttpServer } from './loopbackServers';
import { attemptOnce, disposeTrackers, track, waitForHealth } from './probeHarness';

const servers: LoopbackHttpServer[] = [];
async function server(...args: Parameters<typeof startHttpServer>) {
  const started = await startHttpServer(...args);
  servers.push(started);
  return started;
}

afterEach(async () => {
  await disposeTrackers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('HTTP probe', () => {
  it('succeeds on a status in range and fails outside it, with the status in the message', async () => {
    let status = 200;
    const web = await server((_req, res) => res.writeHead(status).end('hello'));
    expect(await attemptOnce({ kind: 'http', url: web.url })).toEqual({ ok: true, message: 'returned 200' });
    status = 503;
    expect(await attemptOnce({ kind: 'http', url: web.url })).toEqual({ ok: false, message: 'returned 503' });
    expect(await attemptOnce({ kind: 'http', url: web.url, status: { min: 500, max: 503 } })).toEqual({ ok: true, message: 'returned 503' });
  });

  it('says a closed port refused the connection', async () => {
    const port = await closedPort();
    expect(await attemptOnce({ kind: 'http', url: `http://127.0.0.1:${port}/` })).toEqual({ ok: false, message: 'connection refused' });
  });

  it('matches the body by substring or regex, reading at most MAX_BODY_BYTES of an endless body', async () => {
    const web = await server((req, res) => {
      if (req.url === '/endless') {
        res.writeHead(200);
        const chunk = 'x'.repeat(16 * 1024);
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        pump();
        return;
      }
      res.writeHead(200).end('{"status":"UP","db":"ok"}');
    });
    expect(await attemptOnce({ kind: 'http', url: web.url, body: { contains: '"UP"' } })).toEqual({ ok: true, message: 'returned 200' });
    expect(await attemptOnce({ kind: 'http', url: web.url, body: { regex: '"db":\\s*"ok"' } })).toMatchObject({ ok: true });
    expect(await attemptOnce({ kind: 'http', url: web.url, body: { contains: 'DOWN' } })).toEqual({ ok: false, message: 'returned 200 but its body does not contain "DOWN"' });
    const endless = await attemptOnce({ kind: 'http', url: `${web.url}endless`, body: { contains: 'never' } });
    expect(endless).toEqual({ ok: false, message: `returned 200 but its body does not contain "never" (first ${MAX_BODY_BYTES / 1024} KiB read)` });
  });

  it('judges a redirect by its own status unless asked to follow it', async () => {
    const web = await server((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else res.writeHead(503).end();
    });
    expect(await attemptOnce({ kind: 'http', url: `${web.url}old` })).toEqual({ ok: true, message: 'returned 302' });
    expect(await attemptOnce({ kind: 'http', url: `${web.url}old`, status: { min: 200, max: 299 } })).toEqual({ ok: false, message: 'returned 302' });
    expect(await attemptOnce({ kind: 'http', url: `${web.url}old`, followRedirects: true })).toEqual({ ok: false, message: `returned 503 (after 1 redirect, from ${web.url}new)` });
    expect(await attemptOnce({ kind: 'http', url: `${web.url}loop`, followRedirects: true })).toMatchObject({ ok: false, message: expect.stringMatching(/^redirected more than 5 times/) });
  });

  it('times out against a server that never answers, and the tracker says so', async () => {
    const web = await server(() => undefined);
    const tracker = track('liveness', { kind: 'http', url: web.url, intervalMs: 100, timeoutMs: 200, failureThreshold: 2 });
    await waitForHealth(tracker, 'unhealthy');
    expect(tracker.snapshot().reason).toBe(`liveness: GET ${web.url} timed out after 200 ms twice`);
    expect(tracker.results().every((r) => !r.ok && r.durationMs >= 190)).toBe(true);
  });

  it('a hostile server gets a failure naming what it did, never a crash', async () => {
    const replies: Record<string, string> = {
      huge: `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      garbage: 'SSH-2.0-OpenSSH_9.2\r\n',
      cut: 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial',
    };
    const raw = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (request: Buffer) => {
        const path = /^GET \/(\w+)/.exec(request.toString())?.[1] ?? '';
        socket.end(replies[path] ?? '');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`;
    try {
      expect(await attemptOnce({ kind: 'http', url: `${base}huge` })).toEqual({ ok: false, message: 'answered with headers too large' });
      expect(await attemptOnce({ kind: 'http', url: `${base}garbage` })).toMatchObject({ ok: false, message: expect.stringMatching(/malformed HTTP response/) });
      // The body is judged only whole: a connection cut mid-body is a failure, not a partial match.
      expect(await attemptOnce({ kind: 'http', url: `${base}cut`, body: { contains: 'partial' } })).toMatchObject({ ok: false, message: expect.stringMatching(/connection (closed|reset)/) });
      expect(await attemptOnce({ kind: 'http', url: `${base}empty` })).toMatchObject({ ok: false, message: expect.stringMatching(/socket hang up|connection (reset|closed)/) });
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it('works against python3 -m http.server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procdeck-probe-py-'));
    writeFileSync(join(dir, 'health.txt'), 'all good\n');
    const python = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let said = '';
      python.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
      python.on('error', (error) => (said += `spawn error: ${error.message}`));
      const port = await waitFor(() => /port (\d+)/.exec(said)?.[1], () => `python3 -m http.server to say its port (said: ${said})`);
      const url = `http://127.0.0.1:${port}/health.txt`;
      expect(await attemptOnce({ kind: 'http', url, body: { contains: 'all good' } })).toEqual({ ok: true, message: 'returned 200' });
      expect(await attemptOnce({ kind: 'http', url: `http://127.0.0.1:${port}/missing` })).toEqual({ ok: false, message: 'returned 404' });
      const tracker = track('readiness', { kind: 'http', url, intervalMs: 100, timeoutMs: 5_000 });
      await waitForHealth(tracker, 'healthy');
      expect(tracker.snapshot().reason).toMatch(new RegExp(`^readiness: GET ${url.replace(/[.]/g, '\\.')} returned 200 after \\d`));
    } finally {
      if (python.pid !== undefined) signalGroup(python.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
