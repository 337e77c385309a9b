/**
 * Who looks at a system view: one per host connection (a browser tab's WebSocket, the Electron
 * window, the HTTP API). The engine keys each viewer's lease and query by this id and knows
 * nothing else of it.
 */
export type ViewerId = string;

/** The viewer of callers that do not say (tests, a single local UI). */
export const DEFAULT_VIEWER: ViewerId = 'default';
