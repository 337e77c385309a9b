import type { ConfigApplyResult } from '../../../../shared/configCommands';

/** Where Save definition says it wrote: the file's own name (its full path in the status's title). */
const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * The launch form's status once config.saveDefinition answered: which definition went into
 * which file, and what applying the file did to it (a new one is not started unless autostart;
 * an edited running service restarts when a key that needs it changed).
 */
export function describeSaved(name: string, result: ConfigApplyResult, edited: boolean): string {
  const where = fileName(result.file);
  if (!edited) return `Saved definition ${name} in ${where}${result.started.includes(name) ? '; started' : '; not started'}`;
  if (result.restarted.includes(name)) return `Saved definition ${name} in ${where}; restarted to take it`;
  if (result.unchanged.includes(name)) return `Definition ${name} in ${where} is unchanged`;
  return `Saved definition ${name} in ${where}`;
}
