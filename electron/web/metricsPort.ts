import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EngineError } from '../engine/engineError';
import type { MetricsSource } from '../host/metrics/procdeckMetrics';
import { logFault, type FaultLog } from '../host/faultLog';
import { METRICS_PATH } from './api/apiPaths';
import { allowedHostNames, isAllowedHost } from './auth';
import { isLoopbackHost } from './bindAddress';
import { parseRequestTarget } from './requestTarget';

/** The metrics port answers without a token, so only this machine may reach it. */
export const METRICS_HOST = '127.0.0.1';

export interface MetricsListener {
  readonly port: number;
  close(): Promise<void>;
}

function answer(response: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  response.end(text);
}

/**
 * No token, but still no web page: the Host must name this loopback port (a page on a
 * rebound DNS name is refused, it could otherwise read the metrics as same-origin), and a
 * request a page sends (it carries an Origin) is refused too.
 */
async function serveMetrics(source: MetricsSource, host: string, port: () => number, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = parseRequestTarget(request.url);
  if (!target.ok) return answer(response, target.status, `${target.reason}\n`);
  if ((request.headersDistinct.host?.length ?? 0) > 1) return answer(response, 400, 'more than one host header\n');
  if (!isAllowedHost(request.headers.host, allowedHostNames(host), port())) return answer(response, 421, 'this server does not answer to that Host name\n');
  if (request.headers.origin !== undefined) return answer(response, 403, 'the metrics port does not answer web pages\n');
  if (target.path !== METRICS_PATH) return answer(response, 404, `only ${METRICS_PATH} is served here\n`);
  if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, 'only GET and HEAD\n', undefined, { Allow: 'GET, HEAD' });
  const text = await source.render();
  if (request.method === 'HEAD') {
    response.writeHead(200, { 'Content-Type': source.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    return void response.end();
  }
  answer(response, 200, text, source.contentType);
}

function bindError(error: unknown, host: string, port: number): EngineError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges Procdeck does not have (choose one above 1023)' : `cannot be opened (${code ?? String(error)})`;
  return new EngineError('SYSTEM_REFUSED', `metrics port ${port} on ${host} ${why}`, 'metricsPort');
}

/**
 * Serves GET /metrics, and nothing else, without a token on a loopback address. A host
 * other machines could reach is refused: a Prometheus elsewhere scrapes the main port with
 * the bearer token (through TLS, see README), never this one.
 */
export async function listenForMetrics(source: MetricsSource, port: number, host = METRICS_HOST, fault: FaultLog = logFault): Promise<MetricsListener> {
  if (!isLoopbackHost(host)) {
    throw new EngineError('INVALID_REQUEST', `the metrics port answers without a token, so it listens on loopback only, not on ${host}`, 'metricsPort');
  }
  let bound = -1;
  const server = createServer((request, response) => {
    serveMetrics(source, host, () => bound, request, response).catch((error: unknown) => {
      fault('a metrics scrape failed (answered 500)', error);
      if (response.headersSent) response.destroy();
      else answer(response, 500, 'internal error (logged by the server)\n');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.listen(port, host);
  try {
    // once() rejects with the 'error' the server emits instead (EADDRINUSE…).
    await once(server, 'listening');
  } catch (error) {
    throw bindError(error, host, port);
  }
  bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
