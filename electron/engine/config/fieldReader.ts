import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import type { z } from 'zod';
import type { ConfigProblemKind } from '../../../shared/config/problems';
import { formatDurationText, formatSizeText, parseDuration, parseSize } from '../../../shared/config/units';
import type { ProblemList } from './yamlSource';

type Path = readonly PropertyKey[];

/**
 * Reads one definition's values into the engine's units, reporting each bad one at its key:
 * durations to whole milliseconds (or seconds) within bounds, sizes to bytes, paths resolved
 * against the file's directory. A reader returns undefined for a value it refused, so the
 * caller goes on and every problem of the file is found in one pass.
 */
export class FieldReader {
  constructor(
    readonly problems: ProblemList,
    /** The config file's directory: relative paths are relative to it. */
    readonly dir: string,
    /** Where this definition sits in the file: ['jobs', 'web']. */
    readonly base: Path,
    /** What is worth knowing but refuses nothing (a working directory that does not exist yet). */
    readonly warnings?: ProblemList,
  ) {}

  warn(path: Path, message: string): void {
    this.warnings?.add('bad-value', [...this.base, ...path], message);
  }

  /**
   * A directory the job needs later: one that is missing may yet be made (a build's output
   * directory), so it is a warning; the engine refuses the launch while it is missing.
   */
  expectDirectory(path: Path, absolute: string, what: string): void {
    let isDirectory = false;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      // missing: said below
    }
    if (!isDirectory) this.warn(path, `${what} ${absolute} is not a directory (yet): the job cannot start until it is`);
  }

  at(...path: PropertyKey[]): PropertyKey[] {
    return [...this.base, ...path];
  }

  problem(path: Path, message: string, kind: ConfigProblemKind = 'bad-value'): void {
    this.problems.add(kind, [...this.base, ...path], message);
  }

  /** Milliseconds, or whole seconds with unit 's', within [min, max] (given in ms). */
  duration(path: Path, text: string, bounds: { min?: number; max?: number; unit?: 'ms' | 's' }): number | undefined {
    const ms = parseDuration(text);
    const unit = bounds.unit ?? 'ms';
    const key = String(path[path.length - 1]);
    const perUnit = unit === 's' ? 1000 : 1;
    if (!Number.isInteger(ms / perUnit)) return this.refuse(path, `${key} must be a whole number of ${unit === 's' ? 'seconds' : 'milliseconds'} (got ${text})`);
    if (bounds.min !== undefined && ms < bounds.min) return this.refuse(path, `${key} must be at least ${formatDurationText(bounds.min)} (got ${text})`);
    if (bounds.max !== undefined && ms > bounds.max) return this.refuse(path, `${key} must be at most ${formatDurationText(bounds.max)} (got ${text})`);
    return ms / perUnit;
  }

  size(path: Path, text: string, bounds: { min?: number; max?: number }): number | undefined {
    const bytes = parseSize(text);
    const key = String(path[path.length - 1]);
    if (bounds.min !== undefined && bytes < bounds.min) return this.refuse(path, `${key} must be at least ${formatSizeText(bounds.min)} (got ${text})`);
    if (bounds.max !== undefined && bytes > bounds.max) return this.refuse(path, `${key} must be at most ${formatSizeText(bounds.max)} (got ${text})`);
    return bytes;
  }

  path(text: string): string {
    return resolveConfigPath(text, this.dir);
  }

  /**
   * A typed schema's last word on what the reader built (shared/probes.ts and the like). Its
   * complaints land on the key the value came from: `toFileKeys` maps its paths to the file's.
   */
  typed<T extends z.ZodType>(schema: T, value: unknown, path: Path, toFileKeys: (typedPath: readonly PropertyKey[]) => PropertyKey[] = (p) => [...p]): z.output<T> | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) this.problem([...path, ...toFileKeys(issue.path)], issue.message);
    return undefined;
  }

  private refuse(path: Path, message: string): undefined {
    this.problem(path, message);
    return undefined;
  }
}

/** A path from the file: ~ and ~/… in the home directory, relative ones against the file's directory. */
export function resolveConfigPath(text: string, dir: string): string {
  if (text === '~') return homedir();
  if (text.startsWith('~/')) return join(homedir(), text.slice(2));
  return isAbsolute(text) ? normalize(text) : resolve(dir, text);
}
