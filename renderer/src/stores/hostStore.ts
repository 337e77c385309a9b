import { create } from 'zustand';
import type { CommandResponse } from '../../../shared/contract';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import { isConnected, type ConnectionStatus } from '../api/hostConnection';

interface HostState {
  /** How the link to the host is doing (always open under Electron). */
  connection: ConnectionStatus;
  /** What the engine said about itself (null until the first answer after connecting). */
  engineInfo: CommandResponse<'engine.info'> | null;
  /** The engine's settings as last read or saved. */
  settings: Settings;
  setConnection(status: ConnectionStatus): void;
  setEngineInfo(info: CommandResponse<'engine.info'>): void;
  setSettings(settings: Settings): void;
}

/** What the host and its engine report about themselves: the link, the engine, its settings. */
export const useHostStore = create<HostState>()((set) => ({
  connection: { state: 'connecting' },
  engineInfo: null,
  settings: DEFAULT_SETTINGS,
  setConnection: (connection) => set({ connection }),
  setEngineInfo: (engineInfo) => set({ engineInfo }),
  setSettings: (settings) => set({ settings }),
}));

/**
 * Whether the host's state reaches this window now. While not, every job shown is as last seen
 * (its real state is unknown) and no action may be offered on it.
 */
export const useConnected = (): boolean => useHostStore((state) => isConnected(state.connection));
