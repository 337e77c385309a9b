import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommandName, CommandRequest, CommandResult, EventName, EventPayload, ProcdeckApi } from '../../shared/contract';
import { IPC_CHANNELS } from './channels';

// Sandboxed preload: runs as CommonJS with only a few modules available. It hands the page
// two functions and nothing else; raw ipcRenderer never crosses the context bridge.

type AnyHandler = (payload: unknown) => void;
const handlers = new Map<EventName, Set<AnyHandler>>();

// One IPC listener for every subscription (not one per `on`), fanned out by event name.
ipcRenderer.on(IPC_CHANNELS.event, (_event: IpcRendererEvent, name: EventName, payload: unknown) => {
  for (const handler of handlers.get(name) ?? []) {
    try {
      handler(payload);
    } catch (error) {
      console.error(`procdeck: handler for ${name} failed`, error);
    }
  }
});

const api: ProcdeckApi = {
  invoke<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResult<N>> {
    return ipcRenderer.invoke(IPC_CHANNELS.invoke, name, request) as Promise<CommandResult<N>>;
  },
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
    let set = handlers.get(event);
    if (!set) {
      set = new Set();
      handlers.set(event, set);
    }
    // Wrapped so the same handler may be subscribed twice and unsubscribed independently.
    const entry: AnyHandler = (payload) => handler(payload as EventPayload<E>);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
};

contextBridge.exposeInMainWorld('procdeck', api);

// The page's module scripts have run (and subscribed) by DOMContentLoaded: only then does
// the main process start pushing, so no event is emitted into a page without listeners.
interface DocumentEvents {
  readonly document: { readonly readyState: string };
  addEventListener(type: 'DOMContentLoaded', listener: () => void, options: { once: boolean }): void;
}
const page = globalThis as unknown as DocumentEvents;
const signalReady = () => ipcRenderer.send(IPC_CHANNELS.ready);
if (page.document.readyState === 'loading') page.addEventListener('DOMContentLoaded', signalReady, { once: true });
else signalReady();
