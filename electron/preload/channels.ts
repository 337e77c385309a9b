/** The only IPC channels between the window and the main process. */
export const IPC_CHANNELS = {
  /** renderer → main, invoke: (name, request) → CommandResult */
  invoke: 'procdeck:invoke',
  /** main → renderer: (name, payload) of one engine event */
  event: 'procdeck:event',
  /** renderer → main, once per page load: events may flow now */
  ready: 'procdeck:ready',
} as const;
