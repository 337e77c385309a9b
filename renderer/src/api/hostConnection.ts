import type { ProcdeckApi } from '../../../shared/contract';

/**
 * How the link to the host is doing. `closed`: the host cannot be reached (it is restarting,
 * or gone), retrying. `refused`: the host is there but no longer takes this tab's token (it was
 * rotated, or Procdeck started with another one): retrying goes on, in case it comes back, but
 * the operator needs the new URL.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

export interface ConnectionStatus {
  state: ConnectionState;
  /** When the next reconnect attempt is due (epoch ms), while closed or refused. */
  retryAt?: number;
  /** Why the host refused this tab (refused only). */
  reason?: string;
}

/** Whether what the tab shows is live: anything but open means the host's state is unknown here. */
export const isConnected = (status: ConnectionStatus) => status.state === 'open';

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
