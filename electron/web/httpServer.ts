import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { decideAccess, tokenCookie, type AccessPolicy, type RequestFacts } from './auth';
import { contentSecurityPolicy } from '../host/contentSecurityPolicy';
import { isRendererBuilt, lookupStaticFile, NOT_BUILT_PAGE, openStaticFile } from './staticFiles';
import type { WsBridge } from './wsBridge';

export const WEBSOCKET_PATH = '/ws';

export interface HttpServerOptions {
  /** Filled in once the port is known (the policy needs it, the server must exist first). */
  policy: () => AccessPolicy;
  rendererDir: string;
  bridge: WsBridge;
}

function requestFacts(request: IncomingMessage, url: URL, isUpgrade: boolean): RequestFacts {
  return {
    method: request.method,
    hostHeader: request.headers.host,
    originHeader: request.headers.origin,
    queryToken: url.searchParams.get('token'),
    cookieHeader: request.headers.cookie,
    isUpgrade,
  };
}

// The URL carries the token: no Referer may ever leak it, no other site may frame us.
function securityHeaders(hostHeader: string | undefined): OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': contentSecurityPolicy(hostHeader ? `ws://${hostHeader}` : undefined),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

function sendText(response: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders, contentType = 'text/plain; charset=utf-8') {
  response.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Requests arrive with a path; the base only satisfies the URL parser (the Host header is not trusted yet). */
const parseRequestUrl = (request: IncomingMessage) => new URL(request.url ?? '/', 'http://procdeck.invalid');

function serveRequest(options: HttpServerOptions, request: IncomingMessage, response: ServerResponse): void {
  const url = parseRequestUrl(request);
  const facts = requestFacts(request, url, false);
  const decision = decideAccess(facts, options.policy());
  const headers = securityHeaders(decision.allowed ? facts.hostHeader : undefined);
  if (!decision.allowed) {
    sendText(response, decision.status, `${decision.reason}\n`, headers);
    return;
  }
  if (decision.tokenVia === 'query') headers['Set-Cookie'] = tokenCookie(options.policy().port, options.policy().token);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'only GET and HEAD are served over HTTP; commands go over the WebSocket\n', { ...headers, Allow: 'GET, HEAD' });
    return;
  }
  if (url.pathname === WEBSOCKET_PATH) {
    sendText(response, 426, 'this path only accepts WebSocket upgrades\n', { ...headers, Upgrade: 'websocket' });
    return;
  }
  if (!isRendererBuilt(options.rendererDir)) {
    sendText(response, 503, NOT_BUILT_PAGE, headers, 'text/html; charset=utf-8');
    return;
  }
  const found = lookupStaticFile(options.rendererDir, url.pathname);
  if (found.kind === 'bad-path') {
    sendText(response, 400, 'bad path\n', headers);
    return;
  }
  if (found.kind === 'not-found') {
    sendText(response, 404, 'not found\n', headers);
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': found.contentType, 'Content-Length': found.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const file = openStaticFile(found.path);
  file.on('error', () => response.destroy());
  file.pipe(response);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const statusText: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' };
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function upgrade(options: HttpServerOptions, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  const url = parseRequestUrl(request);
  const decision = decideAccess(requestFacts(request, url, true), options.policy());
  if (!decision.allowed) return refuseUpgrade(socket, decision.status, decision.reason);
  if (url.pathname !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, `WebSocket endpoint is ${WEBSOCKET_PATH}`);
  options.bridge.handleUpgrade(request, socket, head);
}

/** The browser host's HTTP side: every request and upgrade passes the access policy first. */
export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer((request, response) => serveRequest(options, request, response));
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => upgrade(options, request, socket, head));
  // Bound how long a silent client may hold a connection open.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}
