import { chmodSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { declaredJobSchema, type DeclaredJob } from '../../../shared/config/declaredJob';
import { formatProblem } from '../../../shared/config/problems';
import type { SaveDefinitionRequest } from '../../../shared/configCommands';
import { textWithAutostart, textWithDefinition } from '../config/addDefinition';
import { parseConfig, readConfigText } from '../config/loadConfig';
import { EngineError } from '../engineError';
import { writeTextAtomic } from '../store/atomicJson';

/**
 * Writes a spec as a definition into a config file and returns the file, for the caller to
 * apply: the file in force (another would replace every definition in force when applied), else
 * `path`, else `defaultFile`; a spec with no working directory gets the one it ran in (`defaultCwd`). Refused, with the file untouched, when the file does not read, the
 * name is taken (unless `replace`), or the file could not say the whole spec (its dependencies by
 * job id, a setting the file format has no key for): a definition must run as the job did.
 */
export function saveDefinitionInto(request: SaveDefinitionRequest, where: { inForce?: string; defaultFile: string; defaultCwd: string }): string {
  const file = resolve(request.path ?? where.inForce ?? where.defaultFile);
  if (where.inForce !== undefined && file !== where.inForce) {
    throw new EngineError('INVALID_REQUEST', `the definitions in force come from ${where.inForce}: save into that file (applying ${file} would replace them all)`, 'path');
  }
  if (request.spec.dependsOn.length > 0) {
    throw new EngineError('INVALID_REQUEST', 'a definition depends on other definitions by name (dependsOn in the file), not on job ids: save it without dependencies, then add them in the file', 'spec.dependsOn');
  }
  const job = declaredJobSchema.parse({ name: request.name, spec: { ...request.spec, name: request.name, cwd: request.spec.cwd ?? where.defaultCwd }, autostart: request.autostart });
  const existing = readExisting(file);
  const text = textWithDefinition(existing?.text, job, { file, replace: request.replace });
  const read = parseConfig(text, file);
  if (!read.ok) throw new EngineError('INVALID_SPEC', `${request.name} would not load from ${file}: ${read.errors.map(formatProblem).join('; ')}`, 'spec');
  const saved = read.jobs.find((candidate) => candidate.name === request.name);
  const lost = saved ? lostKeys(job, saved) : ['the definition'];
  if (lost.length > 0) throw new EngineError('INVALID_SPEC', `a config file cannot say all of this job (${lost.join(', ')}): nothing was saved`, 'spec');
  writeTextAtomic(file, text);
  // An operator's file keeps its mode (the atomic write makes a private one).
  if (existing) chmodSync(file, existing.mode);
  return file;
}

/** Turns a definition's autostart on or off in the file in force; returns the file, for the caller to apply. */
export function setAutostartIn(file: string | undefined, name: string, autostart: boolean): string {
  if (file === undefined) throw new EngineError('BAD_STATE', 'no config file is in force: load one first', 'name');
  const existing = readExisting(file);
  if (!existing) throw new EngineError('NOT_FOUND', `${file}, the config file in force, is gone`, 'name');
  const text = textWithAutostart(existing.text, name, autostart, file);
  const read = parseConfig(text, file);
  if (!read.ok) throw new EngineError('INVALID_SPEC', `${file} does not load: ${read.errors.map(formatProblem).join('; ')}; fix it first`, 'path');
  writeTextAtomic(file, text);
  chmodSync(file, existing.mode);
  return file;
}

function readExisting(file: string): { text: string; mode: number } | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const text = readConfigText(file);
  if (typeof text !== 'string') throw new EngineError('INVALID_SPEC', formatProblem(text), 'path');
  return { text, mode: stat.mode & 0o7777 };
}

/** The spec's keys the file read back differently (the name and cwd resolution aside, nothing may differ). */
function lostKeys(wanted: DeclaredJob, saved: DeclaredJob): string[] {
  const keys = new Set([...Object.keys(wanted.spec), ...Object.keys(saved.spec)] as (keyof DeclaredJob['spec'])[]);
  const lost: string[] = [...keys].filter((key) => !isDeepStrictEqual(wanted.spec[key], saved.spec[key]));
  if (wanted.autostart !== saved.autostart) lost.push('autostart');
  return lost;
}
