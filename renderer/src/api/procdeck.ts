import type { CommandName, CommandRequest, CommandResult } from '../../../shared/contract';
import { preloadConnection, type HostConnection } from './hostConnection';
import { WebSocketApi, webSocketUrl } from './webSocketApi';

/**
 * The page was served with the token in its URL, and with the cookie that now stands in for
 * it: take the token out of the address bar so it stays out of history, bookmarks and
 * screenshots. (The WebSocket URL was read first and keeps it, in memory only.)
 */
function forgetTokenInAddressBar(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

function pickConnection(): HostConnection {
  if (window.procdeck) return preloadConnection(window.procdeck);
  const connection = new WebSocketApi(webSocketUrl(window.location));
  forgetTokenInAddressBar();
  return connection;
}

export const host: HostConnection = pickConnection();

/** Invokes a command; a lost connection becomes an error result, so callers handle one shape. */
export async function call<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResult<N>> {
  try {
    return await host.api.invoke(name, request);
  } catch (error) {
    return { ok: false, error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } };
  }
}
