import type { ConfigApplyResult, ConfigDiffResult, ConfigFileChange } from '../../../../shared/configCommands';
import { fileNameOf, plural } from './configText';

/** What the Config file dialog shows under its path. */
export type ConfigOutcome =
  | { kind: 'diff'; diff: ConfigDiffResult; onDisk: boolean }
  | { kind: 'applied'; result: ConfigApplyResult }
  | { kind: 'errors'; headline: string; problems: string[] }
  | { kind: 'export'; yaml: string };

/** The file in force as the engine last read it from disk. */
export function outcomeOfChange(change: ConfigFileChange): ConfigOutcome {
  if (change.diff) return { kind: 'diff', diff: change.diff, onDisk: true };
  return {
    kind: 'errors',
    headline: `${fileNameOf(change.file)} changed on disk and does not load (${plural(change.errors.length, 'error')}); the definitions in force stay as they were`,
    problems: change.errors,
  };
}
