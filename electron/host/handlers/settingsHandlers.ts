import type { SettingsService } from '../../engine/services/settingsService';
import type { DomainHandlers } from './domainHandlers';

/** settings.*, through engine.settings. */
export function settingsHandlers(settings: SettingsService): DomainHandlers<'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
  };
}
