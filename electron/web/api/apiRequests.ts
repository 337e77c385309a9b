import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CommandName } from '../../../shared/contract';
import type { ProcdeckErrorPayload } from '../../../shared/errors';
import type { Dispatch } from '../../host/dispatch';
import type { MetricsSource } from '../../host/metrics/procdeckMetrics';
import { decideApiAccess, type AccessPolicy } from '../auth';
import { sendPeerRefusal } from '../peerRefusal';
import { API_BASE, commandOfPath, commandPath, EVENTS_PATH, METRICS_PATH, OPENAPI_PATH } from './apiPaths';
import { API_VIEWER } from './apiViewer';
import { statusOfError } from './errorStatus';
import { parseEventFilter, type EventStreams } from './eventStreams';
import { readJsonBody } from './requestBody';

export interface ApiOptions {
  dispatch: Dispatch;
  eventStreams: EventStreams;
  metrics: MetricsSource;
  /** The OpenAPI document, serialized (it is built once). */
  openApiJson: () => string;
}

export function sendJson(response: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Every refusal of the API is the contract's error envelope. */
const sendError = (response: ServerResponse, status: number, error: ProcdeckErrorPayload, headers: OutgoingHttpHeaders) => sendJson(response, status, { error }, headers);

const refuse = (response: ServerResponse, status: number, message: string, headers: OutgoingHttpHeaders) =>
  sendError(response, status, { code: status === 404 ? 'UNKNOWN_COMMAND' : 'INVALID_REQUEST', message }, headers);

function onlyMethod(request: IncomingMessage, response: ServerResponse, allowed: string[], what: string, headers: OutgoingHttpHeaders): boolean {
  if (request.method !== undefined && allowed.includes(request.method)) return true;
  refuse(response, 405, `${what} takes ${allowed.join(' or ')}, not ${request.method ?? '?'}`, { ...headers, Allow: allowed.join(', ') });
  return false;
}

async function runCommand(api: ApiOptions, name: CommandName, request: IncomingMessage, response: ServerResponse, headers: OutgoingHttpHeaders): Promise<void> {
  if (!onlyMethod(request, response, ['POST'], `${commandPath(name)} (a command)`, headers)) return;
  const body = await readJsonBody(request);
  if (!body.ok) {
    // The rest of a body beyond the cap is not worth reading: the connection goes with the answer.
    return sendError(response, body.status, { code: 'INVALID_REQUEST', message: body.message }, body.status === 413 ? { ...headers, Connection: 'close' } : headers);
  }
  // Every request of the contract is an object; null too is refused here, where the WebSocket's dispatch would read it as {}.
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
    const kind = body.value === null ? 'null' : Array.isArray(body.value) ? 'an array' : `a ${typeof body.value}`;
    return refuse(response, 400, `the body must be a JSON object (the request of ${name}), not ${kind}`, headers);
  }
  const result = await api.dispatch(name, body.value, { viewer: API_VIEWER });
  if (result.ok) sendJson(response, 200, result.value, headers);
  else sendError(response, statusOfError(result.error.code), result.error, headers);
}

async function sendMetrics(api: ApiOptions, request: IncomingMessage, response: ServerResponse, headers: OutgoingHttpHeaders): Promise<void> {
  const text = await api.metrics.render();
  response.writeHead(200, { ...headers, 'Content-Type': api.metrics.contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(request.method === 'HEAD' ? undefined : text);
}

export interface ApiRequest {
  path: string;
  query: URLSearchParams;
  policy: AccessPolicy;
  /** The browser host's security headers (no-store, nosniff…); never a CORS header. */
  headers: OutgoingHttpHeaders;
  /** Why this connection's peer is refused (a job's process), asked once the token is checked: peerRefusal.ts. */
  refusePeer: () => string | undefined;
}

/**
 * The HTTP API: every contract command as POST /api/v1/<command>, the OpenAPI document, the
 * event stream and /metrics, all behind the bearer token (decideApiAccess).
 */
export async function serveApiRequest(api: ApiOptions, request: IncomingMessage, response: ServerResponse, { path, query, policy, headers, refusePeer }: ApiRequest): Promise<void> {
  const access = decideApiAccess(
    {
      hostHeader: request.headers.host,
      originHeader: request.headers.origin,
      authorizationHeader: request.headers.authorization,
      cookieHeader: request.headers.cookie,
      queryToken: query.get('token'),
    },
    policy,
  );
  if (!access.allowed) {
    return refuse(response, access.status, access.reason, access.status === 401 ? { ...headers, 'WWW-Authenticate': 'Bearer realm="procdeck"' } : headers);
  }
  const refused = refusePeer();
  if (refused) return sendPeerRefusal(response, refused, headers);
  const command = commandOfPath(path);
  if (command) return runCommand(api, command, request, response, headers);
  if (path === OPENAPI_PATH) {
    if (onlyMethod(request, response, ['GET', 'HEAD'], path, headers)) {
      const text = api.openApiJson();
      response.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      response.end(request.method === 'HEAD' ? undefined : text);
    }
    return;
  }
  if (path === EVENTS_PATH) {
    if (!onlyMethod(request, response, ['GET'], path, headers)) return;
    const filter = parseEventFilter(query.get('events'));
    if (!filter.ok) return refuse(response, 400, filter.message, headers);
    return api.eventStreams.open(response, headers, filter.filter);
  }
  if (path === METRICS_PATH) {
    if (onlyMethod(request, response, ['GET', 'HEAD'], path, headers)) await sendMetrics(api, request, response, headers);
    return;
  }
  const named = path.startsWith(`${API_BASE}/`) ? `no command ${JSON.stringify(path.slice(API_BASE.length + 1).slice(0, 100))}` : `no API at ${JSON.stringify(path.slice(0, 100))}`;
  refuse(response, 404, `${named}: the commands are listed in ${OPENAPI_PATH}`, headers);
}
