import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

const MAX_NOTICES = 4;
let nextNoticeId = 1;

interface NoticesState {
  /** Oldest first; only the newest few are kept. */
  notices: Notice[];
  pushNotice(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
}

/** Errors of row actions and engine notices, shown under the top bar until dismissed. */
export const useNoticesStore = create<NoticesState>()((set) => ({
  notices: [],
  pushNotice: (kind, text) =>
    set(({ notices }) => ({ notices: [...notices, { id: nextNoticeId++, kind, text }].slice(-MAX_NOTICES) })),
  dismissNotice: (id) => set(({ notices }) => ({ notices: notices.filter((notice) => notice.id !== id) })),
}));

/** Shows a notice (a shorthand for the many commands that report a refusal this way). */
export const pushNotice = (kind: Notice['kind'], text: string): void => useNoticesStore.getState().pushNotice(kind, text);
