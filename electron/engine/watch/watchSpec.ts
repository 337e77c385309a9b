import { isAbsolute, resolve } from 'node:path';
import { MAX_TIMEOUT_MS } from '../../../shared/jobSpec';
import { WATCH_DEBOUNCE_DEFAULT_MS } from '../../../shared/watch';
import { EngineError } from '../engineError';
import { compileIgnoreGlobs, type GlobMatcher } from './globMatcher';

/** What a watch needs; the config file's shared type (`watch:` paths and options) is mapped onto this. */
export interface WatchInput {
  /** Files or directories (watched with everything below them); relative ones are resolved against baseDir. */
  paths: readonly string[];
  /** The directory relative paths start from: the config file's, or the job's working directory. */
  baseDir: string;
  /** Quiet time after the last change before the restart. Default 500 ms. */
  debounceMs?: number;
  /** The latest a restart waits after the first change of a burst that never pauses. Default 10 × debounceMs. */
  maxWaitMs?: number;
  /** Added to DEFAULT_IGNORES (see globMatcher for the syntax). */
  ignore?: readonly string[];
  /** Files and directories watched at most, all paths together. Default 10,000. */
  maxEntries?: number;
}

export const DEFAULT_IGNORES = ['.git', 'node_modules'];
export const DEFAULT_MAX_ENTRIES = 10_000;
const MAX_PATHS = 100;
const MAX_ENTRIES_LIMIT = 1_000_000;

export interface WatchDefinition {
  /** Absolute, without duplicates. */
  paths: string[];
  baseDir: string;
  debounceMs: number;
  maxWaitMs: number;
  ignore: GlobMatcher;
  maxEntries: number;
}

const invalid = (field: string, message: string) => new EngineError('INVALID_SPEC', `${field}: ${message}`, field);

export function parseWatch(input: WatchInput, field = 'watch'): WatchDefinition {
  if (input === null || typeof input !== 'object') throw invalid(field, 'give the paths to watch');
  if (typeof input.baseDir !== 'string' || !isAbsolute(input.baseDir)) throw invalid(`${field}.baseDir`, 'must be an absolute directory');
  if (!Array.isArray(input.paths) || input.paths.length === 0) throw invalid(`${field}.paths`, 'give at least one file or directory to watch');
  if (input.paths.length > MAX_PATHS) throw invalid(`${field}.paths`, `at most ${MAX_PATHS} paths`);
  const paths = input.paths.map((path, index) => {
    if (typeof path !== 'string' || path.trim() === '') throw invalid(`${field}.paths[${index}]`, 'the path is empty');
    if (path.includes('\0')) throw invalid(`${field}.paths[${index}]`, 'the path must not contain a NUL byte');
    return resolve(input.baseDir, path);
  });
  const debounceMs = duration(input.debounceMs ?? WATCH_DEBOUNCE_DEFAULT_MS, `${field}.debounceMs`, 0);
  const maxWaitMs = duration(input.maxWaitMs ?? Math.max(debounceMs * 10, 1), `${field}.maxWaitMs`, 0);
  const maxEntries = input.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_ENTRIES_LIMIT) throw invalid(`${field}.maxEntries`, `${String(maxEntries)} is not a whole number between 1 and ${MAX_ENTRIES_LIMIT}`);
  return {
    paths: [...new Set(paths)],
    baseDir: input.baseDir,
    debounceMs,
    maxWaitMs,
    ignore: ignoreMatcher(input.ignore, `${field}.ignore`),
    maxEntries,
  };
}

function ignoreMatcher(ignore: readonly string[] | undefined, field: string): GlobMatcher {
  if (ignore !== undefined && !Array.isArray(ignore)) throw invalid(field, 'give a list of globs');
  // Checked alone first, so an error names the operator's own index.
  compileIgnoreGlobs(ignore ?? [], field);
  return compileIgnoreGlobs([...DEFAULT_IGNORES, ...(ignore ?? [])], field);
}

function duration(value: number, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMEOUT_MS) throw invalid(field, `${String(value)} is not a duration between ${min} ms and 30 days`);
  return Math.round(value);
}
