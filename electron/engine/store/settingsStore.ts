import { settingsPatchSchema, type Settings, type SettingsPatch } from '../../../shared/settings';
import { readJsonOrSetAside, writeJsonAtomic } from './atomicJson';

export class SettingsStore {
  problem?: string;

  constructor(private readonly path: string) {}

  load(): SettingsPatch {
    const { value, problem } = readJsonOrSetAside(this.path, settingsPatchSchema, 'settings; using defaults');
    this.problem = problem;
    return value ?? {};
  }

  save(settings: Settings): void {
    writeJsonAtomic(this.path, settings);
  }
}
