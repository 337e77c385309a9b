import type { ProcdeckApi } from '../../../shared/contract';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** When the next reconnect attempt is due (epoch ms), while closed. */
  retryAt?: number;
}

/** The API plus how the link to the host is doing (always open for the Electron preload). */
export interface HostConnection {
  readonly api: ProcdeckApi;
  readonly kind: 'electron' | 'websocket';
  getStatus(): ConnectionStatus;
  /** Called on every status change; returns a disposer. */
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
}

export function preloadConnection(api: ProcdeckApi): HostConnection {
  const status: ConnectionStatus = { state: 'open' };
  return { api, kind: 'electron', getStatus: () => status, subscribe: () => () => {} };
}
