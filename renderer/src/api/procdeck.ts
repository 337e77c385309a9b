import type { CommandName, CommandRequest, CommandResult } from '../../../shared/contract';
import { preloadConnection, type HostConnection } from './hostConnection';
import { WebSocketApi, webSocketUrl } from './webSocketApi';

function pickConnection(): HostConnection {
  if (window.procdeck) return preloadConnection(window.procdeck);
  return new WebSocketApi(webSocketUrl(window.location));
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
