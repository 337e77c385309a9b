import {
  WS_CLOSE_TOKEN_CHANGED,
  type CommandName,
  type CommandRequest,
  type CommandResult,
  type EventName,
  type EventPayload,
  type ProcdeckApi,
  type WsClientMessage,
  type WsServerMessage,
} from '../../../shared/contract';
import { probeAccess } from './accessProbe';
import type { ConnectionStatus, HostConnection } from './hostConnection';

interface PendingInvoke {
  resolve: (result: CommandResult<CommandName>) => void;
  reject: (error: Error) => void;
}

type AnyHandler = (payload: unknown) => void;

const FIRST_RETRY_MS = 500;
/** At most this long between attempts: a host restarting is back within seconds, and the tab should be too. */
const MAX_RETRY_MS = 5000;
const REFUSED = 'this tab’s access token is no longer accepted (it was rotated, or Procdeck started with another one)';

export function webSocketUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(location.search).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}://${location.host}/ws${query}`;
}

/**
 * ProcdeckApi over the browser host's WebSocket. Invokes made while connecting wait for the
 * socket; every invoke still unanswered when the socket drops is rejected (the host may or
 * may not have run it, so it must not be silently re-sent). Reconnects with backoff, and tells
 * a host that is down from one that refuses this tab's token (see probeAccess).
 */
export class WebSocketApi implements ProcdeckApi, HostConnection {
  readonly kind = 'websocket';
  private socket?: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, PendingInvoke>();
  private outbox: string[] = [];
  private readonly handlers = new Map<EventName, Set<AnyHandler>>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private status: ConnectionStatus = { state: 'connecting' };
  private retryMs = FIRST_RETRY_MS;

  constructor(private readonly url: string) {
    this.connect();
  }

  get api(): ProcdeckApi {
    return this;
  }

  getStatus(): ConnectionStatus {
    return this.status;
  }

  subscribe(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  invoke<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResult<N>> {
    return new Promise<CommandResult<N>>((resolve, reject) => {
      if (this.status.state === 'closed') {
        reject(new Error('not connected to the Procdeck host'));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (result: CommandResult<CommandName>) => void, reject });
      const message: WsClientMessage = { type: 'invoke', id, name, request };
      const text = JSON.stringify(message);
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
      else this.outbox.push(text);
    });
  }

  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    const stored = handler as AnyHandler;
    set.add(stored);
    return () => set.delete(stored);
  }

  private connect(): void {
    // A refused tab keeps saying so while it tries again: "Connecting…" would hide why.
    if (this.status.state !== 'refused') this.setStatus({ state: 'connecting' });
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = FIRST_RETRY_MS;
      for (const text of this.outbox) socket.send(text);
      this.outbox = [];
      this.setStatus({ state: 'open' });
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', (event) => this.dropped(event.code, event.reason));
  }

  private dropped(code: number, reason: string): void {
    this.socket = undefined;
    this.outbox = [];
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const invoke of lost) invoke.reject(new Error('connection to the Procdeck host was lost'));
    const delay = this.retryMs * (0.8 + Math.random() * 0.4);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    const retryAt = Date.now() + delay;
    if (code === WS_CLOSE_TOKEN_CHANGED) {
      this.setStatus({ state: 'refused', retryAt, reason: reason || REFUSED });
    } else {
      if (this.status.state !== 'refused') this.setStatus({ state: 'closed', retryAt });
      // Whatever the socket could not say: down, or up and refusing this tab.
      void probeAccess(this.url).then((verdict) => {
        if (this.socket) return; // already trying again
        if (verdict === 'refused') this.setStatus({ state: 'refused', retryAt, reason: REFUSED });
        else if (this.status.state === 'refused' && verdict === 'accepted') this.setStatus({ state: 'closed', retryAt });
      });
    }
    setTimeout(() => this.connect(), delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: WsServerMessage;
    try {
      message = JSON.parse(data) as WsServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      if (message.id === null) return;
      const invoke = this.pending.get(message.id);
      this.pending.delete(message.id);
      invoke?.resolve(message.result);
    } else if (message.type === 'event') {
      const set = this.handlers.get(message.name);
      if (!set) return;
      for (const handler of set) {
        // One failing subscriber must not starve the others of the same event.
        try {
          handler(message.payload);
        } catch (error) {
          console.error(`handler for ${message.name} failed`, error);
        }
      }
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
