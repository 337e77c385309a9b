import { create } from 'zustand';
import type { CommandResponse } from '../../../shared/contract';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import type { ConnectionStatus } from '../api/hostConnection';

export type SortColumn = 'name' | 'state' | 'pid' | 'cpu' | 'memory' | 'started';
export type SortDirection = 'ascending' | 'descending';

/** The tabs beside the log. */
export type DetailTab = 'charts' | 'monitor' | 'cpu' | 'batches' | 'groups' | 'limits';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

const MAX_NOTICES = 4;
let nextNoticeId = 1;

interface UiState {
  selectedJobId: string | null;
  sort: { column: SortColumn; direction: SortDirection };
  filter: string;
  follow: boolean;
  logSearch: string;
  /** Job waiting for the operator to confirm a kill. */
  killTargetId: string | null;
  /** Job whose Signal dialog is open. */
  signalTargetId: string | null;
  helpOpen: boolean;
  batchDialogOpen: boolean;
  detailTab: DetailTab;
  notices: Notice[];
  engineInfo: CommandResponse<'engine.info'> | null;
  settings: Settings;
  connection: ConnectionStatus;
  setSelected(jobId: string | null): void;
  sortBy(column: SortColumn): void;
  setFilter(filter: string): void;
  setFollow(follow: boolean): void;
  setLogSearch(search: string): void;
  setKillTarget(jobId: string | null): void;
  setSignalTarget(jobId: string | null): void;
  setHelpOpen(open: boolean): void;
  setBatchDialogOpen(open: boolean): void;
  setDetailTab(tab: DetailTab): void;
  pushNotice(kind: Notice['kind'], text: string): void;
  dismissNotice(id: number): void;
  setEngineInfo(info: CommandResponse<'engine.info'>): void;
  setSettings(settings: Settings): void;
  setConnection(status: ConnectionStatus): void;
}

/** Columns whose natural reading is "biggest first" start out descending. */
const DESCENDING_FIRST: readonly SortColumn[] = ['cpu', 'memory', 'started'];

export const useUiStore = create<UiState>()((set) => ({
  selectedJobId: null,
  sort: { column: 'started', direction: 'descending' },
  filter: '',
  follow: true,
  logSearch: '',
  killTargetId: null,
  signalTargetId: null,
  helpOpen: false,
  batchDialogOpen: false,
  detailTab: 'charts',
  notices: [],
  engineInfo: null,
  settings: DEFAULT_SETTINGS,
  connection: { state: 'connecting' },

  setSelected: (selectedJobId) => set({ selectedJobId, logSearch: '', follow: true }),
  sortBy: (column) =>
    set(({ sort }) => ({
      sort:
        sort.column === column
          ? { column, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
          : { column, direction: DESCENDING_FIRST.includes(column) ? 'descending' : 'ascending' },
    })),
  setFilter: (filter) => set({ filter }),
  setFollow: (follow) => set({ follow }),
  setLogSearch: (logSearch) => set({ logSearch }),
  setKillTarget: (killTargetId) => set({ killTargetId }),
  setSignalTarget: (signalTargetId) => set({ signalTargetId }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setBatchDialogOpen: (batchDialogOpen) => set({ batchDialogOpen }),
  setDetailTab: (detailTab) => set({ detailTab }),
  pushNotice: (kind, text) =>
    set(({ notices }) => ({ notices: [...notices, { id: nextNoticeId++, kind, text }].slice(-MAX_NOTICES) })),
  dismissNotice: (id) => set(({ notices }) => ({ notices: notices.filter((notice) => notice.id !== id) })),
  setEngineInfo: (engineInfo) => set({ engineInfo }),
  setSettings: (settings) => set({ settings }),
  setConnection: (connection) => set({ connection }),
}));
