/** What the check needs of Electron's WebFrameMain (a fake in tests). */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
  readonly detached?: boolean;
  isDestroyed?(): boolean;
}

/** What the check needs of an IPC event (IpcMainEvent / IpcMainInvokeEvent). */
export interface IpcEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly id: number };
}

export interface TrustedWindow {
  /** Our window's webContents id. */
  readonly webContentsId: number;
  /** Our window's current main frame (undefined once the window is gone). */
  mainFrame(): FrameLike | undefined;
  /** Whether a URL is our own page (the built index.html or the dev server). */
  isRendererUrl(url: string): boolean;
}

const sameFrame = (a: FrameLike, b: FrameLike) => a === b || (a.processId === b.processId && a.routingId === b.routingId);

/**
 * Accepts an IPC message only from the main frame of our window showing our page: not from
 * a sub-frame, another window or webContents, a page that navigated elsewhere, or a frame
 * that is gone (Electron gives null or a destroyed frame for those).
 */
export function isTrustedSender(event: IpcEventLike, window: TrustedWindow): boolean {
  try {
    const frame = event.senderFrame;
    const mainFrame = window.mainFrame();
    if (!frame || !mainFrame) return false;
    if (frame.isDestroyed?.() || frame.detached) return false;
    if (event.sender.id !== window.webContentsId) return false;
    if (frame.parent !== null || !sameFrame(frame, mainFrame)) return false;
    return window.isRendererUrl(frame.url);
  } catch {
    // Touching a frame that is being torn down can throw: such a sender is not trusted.
    return false;
  }
}
