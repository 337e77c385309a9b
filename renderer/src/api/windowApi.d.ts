import type { ProcdeckApi } from '../../../shared/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI runs in a plain browser. */
    procdeck?: ProcdeckApi;
  }
}

export {};
