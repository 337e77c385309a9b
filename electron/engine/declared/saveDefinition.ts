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
 * A replaced definition keeps what only the file says (see keptFromFile): a spec carries none of it.
 */
export function saveDefinitionInto(request: SaveDefinitionRequest, where: { inForce?: string; defaultFile: string; defaultCwd: string }): string {
  const file = resolve(request.path ?? where.inForce ?? where.defaultFile);
  if (where.inForce !== undefined && file !== where.inForce) {
    throw new EngineError('INVALID_REQUEST', `the definitions in force come from ${where.inForce}: save into that file (applying ${file} would replace them all)`, 'path');
  }
  if (request.spec.dependsOn.length > 0) {
    throw new EngineError('INVALID_REQUEST', 'a definition depends on other definitions by name (dependsOn in the file), not on job ids: save it without dependencies, then add them in the file', 'spec.dependsOn');
  }
  const given = declaredJobSchema.parse({ name: request.name, spec: { ...request.spec, name: request.name, cwd: request.spec.cwd ?? where.defaultCwd }, autostart: request.autostart });
  const existing = readExisting(file);
  const job = request.replace && existing ? keptFromFile(given, existing.text, file) : given;
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

/**
 * The definition as replacing it in the file leaves it: the new spec and autostart over what
 * only the file says (dependsOn by name, readiness, liveness, schedule, watch, labels, envFile),
 * so an edit of its command does not silently drop its probes. The env file's variables still
 * come from it where the new spec gives them the same value; a changed one is written in env.
 */
function keptFromFile(given: DeclaredJob, text: string, file: string): DeclaredJob {
  const read = parseConfig(text, file);
  const before = read.ok ? read.jobs.find((candidate) => candidate.name === given.name) : undefined;
  if (!before) return given;
  const envFile = before.envFile && {
    path: before.envFile.path,
    names: before.envFile.names.filter((name) => given.spec.env.set[name] === before.spec.env.set[name]),
  };
  return { ...before, spec: given.spec, autostart: given.autostart, envFile };
}

function readExisting(file: string): { text: string; mode: number } | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const text = readConfigText(file);
  if (typeof text !== 'string') throw new EngineError('INVALID_SPEC', formatProblem(text), 'path');
  return { text, mode: stat.mode & 0o7777 };
}

/** What the file read back differently: the spec's keys, autostart, and what a replaced definition kept (nothing may differ). */
function lostKeys(wanted: DeclaredJob, saved: DeclaredJob): string[] {
  const keys = new Set([...Object.keys(wanted.spec), ...Object.keys(saved.spec)] as (keyof DeclaredJob['spec'])[]);
  const lost: string[] = [...keys].filter((key) => !isDeepStrictEqual(wanted.spec[key], saved.spec[key]));
  const kept = ['autostart', 'dependsOn', 'readiness', 'liveness', 'schedule', 'watch', 'labels'] as const;
  lost.push(...kept.filter((key) => !isDeepStrictEqual(wanted[key], saved[key])));
  return lost;
}
