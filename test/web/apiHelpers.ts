import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/contract';
import { commands } from '../../shared/contract';
import type { ProcdeckErrorPayload } from '../../shared/errors';
import { TEST_TOKEN } from './helpers';

export const bearer = (token = TEST_TOKEN) => ({ Authorization: `Bearer ${token}` });
export const JSON_TYPE = { 'Content-Type': 'application/json' };

export interface ApiResponse {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
}

/** One HTTP request on loopback with the body sent exactly as given (a string, bytes, or nothing). */
export function httpCall(port: number, options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: string | Buffer }): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time (agent: false): a pooled one would outlive a server the test closes.
    const req = httpRequest({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST /api/v1/<name> with the bearer token and `body` as JSON. */
export function apiPost(port: number, name: string, body: unknown, headers: OutgoingHttpHeaders = {}): Promise<ApiResponse> {
  return httpCall(port, { path: `/api/v1/${name}`, headers: { ...bearer(), ...JSON_TYPE, ...headers }, body: JSON.stringify(body) });
}

export function errorOf(response: ApiResponse): ProcdeckErrorPayload {
  const parsed = JSON.parse(response.text) as { error?: ProcdeckErrorPayload };
  if (!parsed.error) throw new Error(`expected an error envelope, got ${response.status} ${response.text.slice(0, 300)}`);
  return parsed.error;
}

/** A command through the API that must succeed; its answer parsed with the contract's response schema. */
export async function apiCall<N extends CommandName>(port: number, name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
  const response = await apiPost(port, name, request);
  if (response.status !== 200) throw new Error(`${name} answered ${response.status}: ${response.text.slice(0, 500)}`);
  return commands[name].response.parse(JSON.parse(response.text)) as CommandResponse<N>;
}
