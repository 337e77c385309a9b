import { create } from 'zustand';
import type { LogStream } from '../../../shared/jobSnapshot';

/** Which lines the log shows: all of them, or one stream's (Procdeck's own lines are `system`). */
export type StreamFilter = 'all' | LogStream;

interface LogViewState {
  /** Keep the newest line in view. */
  follow: boolean;
  search: string;
  streams: StreamFilter;
  /** Show when each line arrived. */
  timestamps: boolean;
  setFollow(follow: boolean): void;
  setSearch(search: string): void;
  setStreams(streams: StreamFilter): void;
  setTimestamps(timestamps: boolean): void;
  /** Back to following, without a search or stream filter: what a newly selected job's log starts with. */
  reset(): void;
}

/** How the operator reads the selected job's log. Timestamps stay as chosen from job to job. */
export const useLogViewStore = create<LogViewState>()((set) => ({
  follow: true,
  search: '',
  streams: 'all',
  timestamps: false,
  setFollow: (follow) => set({ follow }),
  setSearch: (search) => set({ search }),
  setStreams: (streams) => set({ streams }),
  setTimestamps: (timestamps) => set({ timestamps }),
  reset: () => set({ follow: true, search: '', streams: 'all' }),
}));
