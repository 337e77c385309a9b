import { basename, resolve } from 'node:path';
import type { DeclaredJob } from '../../../shared/config/declaredJob';
import { formatProblem, type ConfigProblem } from '../../../shared/config/problems';
import { EngineError } from '../engineError';
import type { DefinitionDiff } from './diffDefinitions';
import { importProcessComposeFile } from './importProcessCompose';
import { importProcfileFile } from './importProcfile';
import { loadConfigFile } from './loadConfig';

/** A Procfile or a process-compose file is imported (its keys mapped, the others warned of); anything else is Procdeck's own format. */
export function readAnyConfig(file: string) {
  const name = basename(file);
  if (/^Procfile(\.|$)/.test(name)) return importProcfileFile(file);
  if (/^process-compose.*\.ya?ml$/.test(name)) return importProcessComposeFile(file);
  return loadConfigFile(file);
}

export function envFilesOf(jobs: readonly DeclaredJob[]): string[] {
  return [...new Set(jobs.flatMap((job) => (job.envFile ? [job.envFile.path] : [])))];
}

/** A config file's definitions, or an INVALID_SPEC error listing every problem (a request's path: the field to blame). */
export function readConfigOrThrow(path: string): { file: string; jobs: DeclaredJob[]; warnings: string[] } {
  if (typeof path !== 'string' || path.trim() === '') throw new EngineError('INVALID_REQUEST', 'give the path of a config file', 'path');
  const file = resolve(path);
  const result = readAnyConfig(file);
  const warnings = result.warnings.map(formatProblem);
  if (!result.ok) throw configError(file, result.errors);
  return { file, jobs: result.jobs, warnings };
}

/** A diff as the config commands answer it: the names, and per changed definition its keys. */
export function describeDiff(diff: DefinitionDiff) {
  return {
    added: diff.added.map((job) => job.name),
    removed: diff.removed.map((job) => job.name),
    changed: diff.changed.map((change) => ({ name: change.name, fields: change.fields.map(String), needsRestart: change.needsRestart })),
    unchanged: diff.unchanged,
  };
}

/** Every error, one per line as compilers print them; the first names the field for the UI. */
function configError(file: string, errors: readonly ConfigProblem[]): EngineError {
  const lines = errors.map(formatProblem);
  return new EngineError('INVALID_SPEC', `${file} was not loaded (${errors.length} error${errors.length === 1 ? '' : 's'}; nothing changed):\n${lines.join('\n')}`, 'path');
}
