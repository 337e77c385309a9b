import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

/**
 * Writes through a temporary file and rename(2), which replaces the target atomically:
 * a crash mid-write leaves the previous version intact, never a half-written file.
 * `durable` adds an fsync, which only matters if the whole machine goes down.
 */
export function writeJsonAtomic(path: string, value: unknown, options: { durable: boolean } = { durable: true }): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, JSON.stringify(value));
    if (options.durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export type ReadResult<T> = { ok: true; value: T } | { ok: false; missing: boolean; problem?: string };

/** Reads and validates; a corrupt file is reported (and left in place), never thrown. */
export function readJson<S extends z.ZodType>(path: string, schema: S): ReadResult<z.output<S>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, missing: true };
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, missing: false, problem: parsed.error.message };
  } catch (error) {
    return { ok: false, missing: false, problem: (error as Error).message };
  }
}

/**
 * Reads a saved file; one that cannot be read is moved aside (kept for the operator, never
 * overwritten by the next save) and the problem is described.
 */
export function readJsonOrSetAside<S extends z.ZodType>(path: string, schema: S, what: string): { value?: z.output<S>; problem?: string } {
  const read = readJson(path, schema);
  if (read.ok) return { value: read.value };
  if (read.missing) return {};
  const aside = `${path}.unreadable-${Date.now()}`;
  renameSync(path, aside);
  return { problem: `could not read ${what} (${read.problem}); the file was moved to ${aside}` };
}
