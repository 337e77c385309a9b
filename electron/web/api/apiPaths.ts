import { isCommandName, type CommandName } from '../../../shared/contract';

/** Where the HTTP API lives; every command is `POST ${API_BASE}/<command>`. */
export const API_BASE = '/api/v1';
export const OPENAPI_PATH = `${API_BASE}/openapi.json`;
export const EVENTS_PATH = `${API_BASE}/events`;
export const METRICS_PATH = '/metrics';

export const commandPath = (name: CommandName) => `${API_BASE}/${name}`;

/** Paths served by the API (bearer token only) rather than to the browser page (token cookie). */
export const isApiPath = (path: string) => path === METRICS_PATH || path === API_BASE || path.startsWith(`${API_BASE}/`) || path.startsWith('/api/');

/** The command a path names, if it names one (the raw path: a percent-encoded name names none). */
export function commandOfPath(path: string): CommandName | undefined {
  if (!path.startsWith(`${API_BASE}/`)) return undefined;
  const name = path.slice(API_BASE.length + 1);
  return isCommandName(name) ? name : undefined;
}
