export interface Shortcut {
  key: string;
  action: string;
}

/** Single keys, ignored while typing in a field; shown in the help overlay in this order. */
export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'n', action: 'New job: focus the Command field' },
  { key: '/', action: 'Focus the job filter' },
  { key: 's', action: 'Stop the selected job (SIGTERM, then SIGKILL after the grace period)' },
  { key: 'k', action: 'Kill the selected job (asks first unless turned off)' },
  { key: '↑ ↓', action: 'Select the previous / next job (in the Jobs grid)' },
  { key: '?', action: 'Show this help' },
  { key: 'Esc', action: 'Close a dialog, clear a filter' },
];
