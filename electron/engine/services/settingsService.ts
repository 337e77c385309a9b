import { settingsPatchSchema, type Settings, type SettingsPatch, type SettingsPatchInput } from '../../../shared/settings';
import { EngineError } from '../engineError';
import { checkAllowRulesResolve } from '../isolation/policy/programRules';
import { describeFsError } from '../store/fsErrors';
import type { SettingsStore } from '../store/settingsStore';

export interface SettingsContext {
  store: SettingsStore;
  /** PATH of the environment jobs start from: the allowlist's program names are resolved in it. */
  jobPath: string;
  /** The new settings are saved and in force: the engine applies what changed (pool limit, sampling interval, retention). */
  applied(settings: Settings, patch: SettingsPatch): void;
}

/** engine.settings: the settings in force, and changes to them (saved before they apply; a failed save changes nothing). */
export class SettingsService {
  constructor(
    private current: Settings,
    private readonly ctx: SettingsContext,
  ) {}

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatchInput): Settings {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) throw EngineError.fromZod('INVALID_REQUEST', parsed.error, 'settings');
    // An allowlist entry must name a program now: one that resolves to nothing would allow nothing.
    if (parsed.data.commandPolicy) checkAllowRulesResolve(parsed.data.commandPolicy, this.ctx.jobPath);
    const next = { ...this.current, ...parsed.data };
    try {
      this.ctx.store.save(next);
    } catch (error) {
      throw new EngineError('SYSTEM_REFUSED', `could not save the settings (${describeFsError(error)}); nothing was changed`);
    }
    this.current = next;
    this.ctx.applied(next, parsed.data);
    return next;
  }
}
