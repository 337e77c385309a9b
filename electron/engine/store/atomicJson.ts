import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, writevSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { describeFsError } from './fsErrors';

/** Every file Procdeck writes in its data directory: readable by the operator only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

let tmpCounter = 0;

/**
 * Writes through a temporary file and rename(2), which replaces the target atomically:
 * a crash or a failed write (a full disk) leaves the previous version intact, never a
 * half-written file, and a failed write leaves no temporary file behind either.
 * `durable` adds an fsync, which only matters if the whole machine goes down.
 */
export function writeJsonAtomic(path: string, value: unknown, options: { durable: boolean } = { durable: true }): void {
  writeTextAtomic(path, JSON.stringify(value), options);
}

export function writeTextAtomic(path: string, text: string, options: { durable: boolean } = { durable: true }): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = temporaryPathFor(path);
  try {
    const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
    try {
      writeAll(fd, text);
      if (options.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** A name no other writer in this process uses at the same time (one async compaction may overlap a sync save). */
export function temporaryPathFor(path: string): string {
  return `${path}.${process.pid}-${tmpCounter++}.tmp`;
}

/** writeSync until every byte is written: a regular file may take a short write before ENOSPC. */
export function writeAll(fd: number, text: string | Uint8Array): void {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

type Unread = { ok: false; missing: true } | { ok: false; missing: false; problem: string };
/** writevSync until every byte of every buffer is written (short writes happen on a filling disk). */
export function writeAllv(fd: number, buffers: readonly Uint8Array[]): void {
  const pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    // writev takes at most IOV_MAX (1024 on Linux) buffers per call.
    let written = writevSync(fd, pending.slice(0, 1024));
    while (pending.length > 0 && written >= pending[0]!.length) written -= pending.shift()!.length;
    if (written > 0) pending[0] = pending[0]!.subarray(written);
  }
}

/** writeAllv for a FileHandle: the writes run off the event loop. */
export async function writeAllvAsync(file: FileHandle, buffers: readonly Uint8Array[]): Promise<void> {
  let pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await file.writev(pending.slice(0, 1024));
    while (pending.length > 0 && bytesWritten >= pending[0]!.length) bytesWritten -= pending.shift()!.length;
    if (bytesWritten > 0) pending = [pending[0]!.subarray(bytesWritten), ...pending.slice(1)];
  }
}

export type ReadResult<T> = { ok: true; value: T } | Unread;

/**
 * Reads the text of a saved file. Only "does not exist" means missing; anything else (a
 * directory in its place, no permission, an I/O error) is a problem to report.
 */
export function readSavedText(path: string): { ok: true; text: string } | Unread {
  try {
    return { ok: true, text: readFileSync(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, missing: true };
    return { ok: false, missing: false, problem: describeFsError(error) };
  }
}

/** Reads and validates; a corrupt or unreadable file is reported (and left in place), never thrown. */
export function readJson<S extends z.ZodType>(path: string, schema: S): ReadResult<z.output<S>> {
  const read = readSavedText(path);
  if (!read.ok) return read;
  try {
    const parsed = schema.safeParse(JSON.parse(read.text));
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, missing: false, problem: parsed.error.message };
  } catch (error) {
    return { ok: false, missing: false, problem: (error as Error).message };
  }
}

/**
 * Moves a saved file (or whatever took its place, a directory included) out of the way so
 * that the next save does not overwrite it: the operator can look at it. Returns a sentence
 * saying where it went, or why it could not be moved.
 */
export function setAside(path: string): string {
  const aside = `${path}.unreadable-${Date.now()}`;
  try {
    renameSync(path, aside);
    return `the file was moved to ${aside}`;
  } catch (error) {
    return `it could not be moved aside either (${describeFsError(error)})`;
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
  return { problem: `could not read ${what} (${read.problem}); ${setAside(path)}` };
}
