import { JOB_ACTIONS } from '../jobs/rowActions';

export interface Shortcut {
  key: string;
  action: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: readonly Shortcut[];
}

/** Each row action once (Pause and Resume share `p`), from the table the rows and the keys use. */
const rowActionKeys: Shortcut[] = JOB_ACTIONS.filter((action, index) => JOB_ACTIONS.findIndex((other) => other.key === action.key) === index).map((action) => ({
  key: action.keyLabel,
  action: action.help,
}));

/** Shown in the help overlay in this order. Single keys are ignored while typing in a field. */
export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    title: 'Anywhere',
    shortcuts: [
      { key: 'n', action: 'New job: focus the Command field (opens the form on a narrow window)' },
      { key: '/', action: 'Focus the job filter (the process filter in the System view)' },
      { key: 'Esc', action: 'Leave a field, the log or the form, back to the Jobs grid; close a dialog or menu; clear a filter first' },
      { key: '?', action: 'Show this help' },
    ],
  },
  {
    title: 'The selected job, or every selected job at once',
    shortcuts: [...rowActionKeys, { key: 'l', action: 'Open the log: focus it (Enter on a row does the same; Esc comes back)' }],
  },
  {
    title: 'In the Jobs grid (one Tab stop)',
    shortcuts: [
      { key: '↑ ↓', action: 'Previous / next row, selecting it (Page Up / Page Down: a page; Ctrl+Home / Ctrl+End: first / last)' },
      { key: '← →', action: "Previous / next cell or button of the row (Home / End: the row's first / last)" },
      { key: 'Shift+↑ ↓', action: 'Extend the selection (Shift+click too)' },
      { key: 'Ctrl+↑ ↓', action: 'Move without changing the selection; then Space adds or removes a row (Ctrl+click too)' },
      { key: 'Ctrl+A', action: 'Select every row shown' },
      { key: 'Enter', action: "Open the row's log; on a batch row, show or fold its items" },
      { key: 'Esc', action: 'Keep only the current job selected' },
    ],
  },
];
