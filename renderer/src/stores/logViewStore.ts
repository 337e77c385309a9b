import { create } from 'zustand';
import type { LogStream } from '../../../shared/jobSnapshot';
import { nextQuery, NO_QUERY, type LogQuery } from '../lib/logQuery';

/** Which lines the log shows: all of them, or one stream's (Procdeck's own lines are `system`). */
export type StreamFilter = 'all' | LogStream;

interface LogViewState {
  /** Keep the newest line in view. */
  follow: boolean;
  /** The search box as typed, and how it is read. */
  search: string;
  regex: boolean;
  caseSensitive: boolean;
  /** The search in force: the typed one, or the last usable one while `searchProblem` says why the typed one is not. */
  applied: LogQuery;
  searchProblem?: string;
  streams: StreamFilter;
  /** Show when each line arrived. */
  timestamps: boolean;
  setFollow(follow: boolean): void;
  setSearch(search: string): void;
  setRegex(regex: boolean): void;
  setCaseSensitive(caseSensitive: boolean): void;
  setStreams(streams: StreamFilter): void;
  setTimestamps(timestamps: boolean): void;
  /** Back to following, without a search or stream filter: what a newly selected job's log starts with. */
  reset(): void;
}

/** The state after the search box or one of its options changed. */
const searched = (state: LogViewState, wanted: Partial<LogQuery>) => {
  const query = { text: state.search, regex: state.regex, caseSensitive: state.caseSensitive, ...wanted };
  const { applied, problem } = nextQuery(state.applied, query);
  return { search: query.text, regex: query.regex, caseSensitive: query.caseSensitive, applied, searchProblem: problem };
};

/** How the operator reads the selected job's log. Timestamps and the search options stay as chosen from job to job. */
export const useLogViewStore = create<LogViewState>()((set) => ({
  follow: true,
  search: '',
  regex: false,
  caseSensitive: false,
  applied: NO_QUERY,
  streams: 'all',
  timestamps: false,
  setFollow: (follow) => set({ follow }),
  setSearch: (search) => set((state) => searched(state, { text: search })),
  setRegex: (regex) => set((state) => searched(state, { regex })),
  setCaseSensitive: (caseSensitive) => set((state) => searched(state, { caseSensitive })),
  setStreams: (streams) => set({ streams }),
  setTimestamps: (timestamps) => set({ timestamps }),
  reset: () => set((state) => ({ follow: true, search: '', applied: { ...NO_QUERY, regex: state.regex, caseSensitive: state.caseSensitive }, searchProblem: undefined, streams: 'all' })),
}));
