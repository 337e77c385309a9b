import type { Dispatch } from '../host/dispatch';
import { IPC_CHANNELS } from '../preload/channels';
import type { ViewerId } from '../host/viewer';
import type { IpcEventLike } from './trustedSender';

/** A window as a viewer (its system view is its own): named after its webContents. */
export const windowViewer = (webContentsId: number): ViewerId => `window-${webContentsId}`;

/** The part of Electron's ipcMain the binding uses, so tests can hand in a small fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

export interface IpcBindingOptions {
  dispatch: Dispatch;
  isTrusted(event: IpcEventLike): boolean;
  /** The page has subscribed to events; pushes may start. */
  onRendererReady(): void;
  onRefused?(channel: string, event: IpcEventLike): void;
}

/**
 * The Electron host's whole command surface: one invoke channel through the shared dispatch
 * (which parses every request) and one readiness signal, both from trusted senders only.
 * Returns a disposer.
 */
export function bindIpc(ipcMain: IpcMainLike, options: IpcBindingOptions): () => void {
  ipcMain.handle(IPC_CHANNELS.invoke, (event, name, request) => {
    if (!options.isTrusted(event)) {
      options.onRefused?.(IPC_CHANNELS.invoke, event);
      throw new Error('Procdeck refused a command from an untrusted frame');
    }
    return options.dispatch(name, request, { viewer: windowViewer(event.sender.id) });
  });
  const ready = (event: IpcEventLike) => {
    if (options.isTrusted(event)) options.onRendererReady();
    else options.onRefused?.(IPC_CHANNELS.ready, event);
  };
  ipcMain.on(IPC_CHANNELS.ready, ready);
  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
    ipcMain.removeListener(IPC_CHANNELS.ready, ready);
  };
}
