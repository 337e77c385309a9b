import { createServer, STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { sendJson, serveApiRequest, type ApiOptions } from './api/apiRequests';
import { isApiPath } from './api/apiPaths';
import { decideAccess, tokenCookie, type AccessDecision, type AccessPolicy, type RequestFacts } from './auth';
import { contentSecurityPolicy } from '../host/contentSecurityPolicy';
import { logFault, type FaultLog } from '../host/faultLog';
import type { LoginCodes } from './loginCodes';
import { cachedPeerRefusal, sendPeerRefusal, type PeerRefusal } from './peerRefusal';
import { peerIsOwnUser } from './peerUser';
import { parseRequestTarget } from './requestTarget';
import { isRendererBuilt, lookupStaticFile, NOT_BUILT_PAGE, openStaticFile } from './staticFiles';
import type { WsBridge } from './wsBridge';

export const WEBSOCKET_PATH = '/ws';

export interface HttpServerOptions {
  /** Filled in once the port is known (the policy needs it, the server must exist first). */
  policy: () => AccessPolicy;
  loginCodes: LoginCodes;
  rendererDir: string;
  bridge: WsBridge;
  /** The HTTP API for scripts (commands, events, OpenAPI, metrics), behind the bearer token. */
  api: ApiOptions;
  logFault?: FaultLog;
  /** Why the other end of this connection is refused whatever it sends (a job's process: host/jobPeers.ts), or undefined; asked once a connection, of a request the access policy let through (peerRefusal.ts). */
  refusePeer?: PeerRefusal;
}

/** Headers a client sends once; two of them mean a proxy or an attacker is stitching requests. */
const SINGLE_HEADERS = ['host', 'origin', 'authorization'] as const;

function repeatedHeader(request: IncomingMessage): string | undefined {
  return SINGLE_HEADERS.find((name) => (request.headersDistinct[name]?.length ?? 0) > 1);
}

function requestFacts(request: IncomingMessage, query: URLSearchParams, isUpgrade: boolean): RequestFacts {
  return {
    method: request.method,
    hostHeader: request.headers.host,
    originHeader: request.headers.origin,
    queryToken: query.get('token'),
    cookieHeader: request.headers.cookie,
    loginCode: query.get('login'),
    isUpgrade,
  };
}

/**
 * A login code is only taken from a connection the host's own user opened: the launcher's
 * browser runs as that user, while another user who read the code from the browser's
 * command line (/proc/<pid>/cmdline is world-readable) must not win the race to it.
 */
// A job's process must not use a code up either (the operator's next login would fail): the
// peer check is asked before a code is redeemed, as it is of any request the policy let through.
const loginRedeemer = (options: HttpServerOptions, socket: Socket, refusePeer: PeerRefusal) => (code: string) =>
  peerIsOwnUser(socket) && refusePeer(socket) === undefined && options.loginCodes.redeem(code);

// The URL carries the token: no Referer may ever leak it, no other site may frame us, no cache may keep it.
function securityHeaders(hostHeader: string | undefined): OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': contentSecurityPolicy(hostHeader ? `ws://${hostHeader}` : undefined),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

function sendText(response: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders, contentType = 'text/plain; charset=utf-8') {
  response.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function serveAllowed(options: HttpServerOptions, request: IncomingMessage, response: ServerResponse, path: string, decision: AccessDecision & { allowed: true }, headers: OutgoingHttpHeaders): void {
  if (decision.tokenVia !== 'cookie') headers['Set-Cookie'] = tokenCookie(options.policy().port, options.policy().token);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'only GET and HEAD are served to the page; commands go over the WebSocket, or to POST /api/v1/<command> with a bearer token\n', { ...headers, Allow: 'GET, HEAD' });
    return;
  }
  if (path === WEBSOCKET_PATH) {
    sendText(response, 426, 'this path only accepts WebSocket upgrades\n', { ...headers, Upgrade: 'websocket' });
    return;
  }
  const found = lookupStaticFile(options.rendererDir, path);
  if (found.kind === 'bad-path') {
    sendText(response, 400, 'bad path\n', headers);
    return;
  }
  if (!isRendererBuilt(options.rendererDir)) {
    sendText(response, 503, NOT_BUILT_PAGE, headers, 'text/html; charset=utf-8');
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

function serveRequest(options: HttpServerOptions, request: IncomingMessage, response: ServerResponse, refusePeer: PeerRefusal): void | Promise<void> {
  const target = parseRequestTarget(request.url);
  if (!target.ok) return sendText(response, target.status, `${target.reason}\n`, securityHeaders(undefined));
  const repeated = repeatedHeader(request);
  if (repeated) return sendText(response, 400, `more than one ${repeated} header\n`, securityHeaders(undefined));
  if (isApiPath(target.path)) {
    const headers = securityHeaders(undefined);
    return serveApiRequest(options.api, request, response, { path: target.path, query: target.query, policy: options.policy(), headers, refusePeer: () => refusePeer(request.socket) }).catch((error: unknown) => {
      (options.logFault ?? logFault)(`an API request to ${target.path.slice(0, 100)} failed (answered 500)`, error);
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { error: { code: 'INTERNAL', message: 'internal error (logged by the server)' } }, headers);
    });
  }

  const facts = requestFacts(request, target.query, false);
  const decision = decideAccess(facts, options.policy(), loginRedeemer(options, request.socket, refusePeer));
  const headers = securityHeaders(decision.allowed ? facts.hostHeader : undefined);
  if (!decision.allowed) return sendText(response, decision.status, `${decision.reason}\n`, headers);
  const refused = refusePeer(request.socket);
  if (refused) return sendPeerRefusal(response, refused, securityHeaders(undefined));
  if (facts.loginCode !== null) {
    // Used up or not, a login code has no business staying in the address bar.
    if (decision.tokenVia !== 'cookie') headers['Set-Cookie'] = tokenCookie(options.policy().port, options.policy().token);
    return sendText(response, 303, 'logged in: continue at /\n', { ...headers, Location: '/' });
  }
  serveAllowed(options, request, response, target.path, decision, headers);
}

function failRequest(response: ServerResponse): void {
  try {
    if (response.headersSent) response.destroy();
    else sendText(response, 500, 'internal error (logged by the server)\n', securityHeaders(undefined));
  } catch {
    response.destroy();
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function upgrade(options: HttpServerOptions, request: IncomingMessage, socket: Duplex, head: Buffer, refusePeer: PeerRefusal): void {
  const target = parseRequestTarget(request.url);
  if (!target.ok) return refuseUpgrade(socket, target.status, target.reason);
  const repeated = repeatedHeader(request);
  if (repeated) return refuseUpgrade(socket, 400, `more than one ${repeated} header`);
  const decision = decideAccess(requestFacts(request, target.query, true), options.policy());
  if (!decision.allowed) return refuseUpgrade(socket, decision.status, decision.reason);
  const refused = refusePeer(request.socket);
  if (refused) return refuseUpgrade(socket, 403, refused);
  if (target.path !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, `WebSocket endpoint is ${WEBSOCKET_PATH}`);
  options.bridge.handleUpgrade(request, socket, head);
}

/**
 * The browser host's HTTP side: every request and upgrade passes the access policy first.
 * Nothing a request does may take the server down: a handler that throws fails that one
 * request (500, or the connection closed), and the fault is logged with its stack.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const fault = options.logFault ?? logFault;
  const refusePeer = cachedPeerRefusal(options.refusePeer);
  const server = createServer((request, response) => {
    const failed = (error: unknown) => {
      fault(`an HTTP ${request.method ?? '?'} request failed (answered 500)`, error);
      failRequest(response);
    };
    try {
      serveRequest(options, request, response, refusePeer)?.catch(failed);
    } catch (error) {
      failed(error);
    }
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(options, request, socket, head, refusePeer);
    } catch (error) {
      fault('a WebSocket upgrade failed (connection dropped)', error);
      socket.destroy();
    }
  });
  // Bound how long a silent client may hold a connection open.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}
