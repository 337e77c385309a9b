import { create } from 'zustand';
import type { ConfigFileChange, ConfigStatusResult } from '../../../shared/configCommands';

interface ConfigState {
  /** The config file in force (the last one applied), absolute; undefined before any. */
  file?: string;
  /** Its latest reading (once applied, and each time it changed on disk since). */
  change?: ConfigFileChange;
  /** The operator dismissed the banner for this reading (a new reading shows it again). */
  dismissed: boolean;
  replaceStatus(status: ConfigStatusResult): void;
  applyChange(change: ConfigFileChange): void;
  dismiss(): void;
}

/** The engine's config file in force and what it last read of it (pushed as config.changed). */
export const useConfigStore = create<ConfigState>()((set) => ({
  dismissed: false,
  replaceStatus: ({ file, change }) => set({ file, change, dismissed: false }),
  applyChange: (change) => set({ file: change.file, change, dismissed: false }),
  dismiss: () => set({ dismissed: true }),
}));
