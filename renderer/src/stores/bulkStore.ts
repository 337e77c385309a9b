import { create } from 'zustand';

interface BulkState {
  /** What a bulk action is doing now, or what the last one did. */
  status: { text: string; failed: boolean; running: boolean } | null;
  begin(verb: string, count: number): void;
  finish(text: string, failed: boolean): void;
}

/** The progress and outcome of the latest action on several jobs at once, for the bulk bar to say. */
export const useBulkStore = create<BulkState>()((set) => ({
  status: null,
  begin: (verb, count) => set({ status: { text: `${verb}: sending ${count} request${count === 1 ? '' : 's'}…`, failed: false, running: true } }),
  finish: (text, failed) => set({ status: { text, failed, running: false } }),
}));
