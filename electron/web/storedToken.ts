import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from './auth';
import { writePrivateFile } from './browserUrlFile';
import { validateToken } from './cliArgs';

/** Browser mode's access token, kept for the next start: `<data dir>/browser-token`, mode 0600. */
export const browserTokenFile = (dataDir: string) => join(dataDir, 'browser-token');

/** What was found in the data directory before the engine (which tightens modes) opened it. */
export type StoredToken = { kind: 'none' } | { kind: 'usable'; token: string } | { kind: 'unusable'; why: string };

export interface TokenChoice {
  token: string;
  /** `environment`: PROCDECK_TOKEN (the file is left as it is); `stored`: the file's; `new`: made now and stored. */
  source: 'environment' | 'stored' | 'new';
  /** For the operator when the stored token could not be used (and was replaced), or could not be stored. */
  notice?: string;
}

/** "EACCES: permission denied, open …" → what the operator needs: the code and its words. */
const describeFsError = (error: unknown) => (error instanceof Error ? error.message : String(error));

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Reads the stored token, and whether it can still be trusted. Called before the engine opens
 * the data directory: that makes every file in it private, and after it a token file that
 * other users could read (its mode, or the directory's) would look as safe as any other.
 * Such a token may have been read: it is not used again. Nor is one that is not a plain file
 * of ours (a link, another user's file).
 */
export function inspectStoredToken(dataDir: string): StoredToken {
  const path = browserTokenFile(dataDir);
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unusable', why: `it could not be read (${describeFsError(error)})` };
  }
  if (!stat.isFile()) return { kind: 'unusable', why: 'it is not a plain file' };
  if (process.getuid && stat.uid !== process.getuid()) return { kind: 'unusable', why: `it belongs to another user (uid ${stat.uid})` };
  if ((stat.mode & 0o077) !== 0) return { kind: 'unusable', why: `other users could read it (mode ${octal(stat.mode)})` };
  try {
    const dirMode = statSync(dataDir).mode;
    if ((dirMode & 0o077) !== 0) return { kind: 'unusable', why: `other users could reach it (data directory mode ${octal(dirMode)})` };
    const token = readFileSync(path, 'utf8').trim();
    const problem = validateToken(token);
    if (problem) return { kind: 'unusable', why: 'it does not hold a valid token' };
    return { kind: 'usable', token };
  } catch (error) {
    return { kind: 'unusable', why: `it could not be read (${describeFsError(error)})` };
  }
}

/** Stores a token for the next start (0600, written aside and renamed into place). */
export function storeToken(dataDir: string, token: string): void {
  writePrivateFile(browserTokenFile(dataDir), `${token}\n`);
}

/**
 * The token this start uses: PROCDECK_TOKEN when given (the stored one stays for starts without
 * it), else the stored one, else a new one, stored for the next start. Once the engine holds the
 * data directory's lock, so no other host writes the file meanwhile. Never fails: a token that
 * cannot be stored still serves this start, and the notice says the next one will differ.
 */
export function chooseToken(dataDir: string, stored: StoredToken, fromEnvironment: string | undefined): TokenChoice {
  if (fromEnvironment !== undefined) return { token: fromEnvironment, source: 'environment' };
  if (stored.kind === 'usable') return { token: stored.token, source: 'stored' };
  const token = generateToken();
  const replaced = stored.kind === 'unusable' ? `the stored access token (${browserTokenFile(dataDir)}) was not used: ${stored.why}; a new one was made` : undefined;
  try {
    storeToken(dataDir, token);
  } catch (error) {
    const unsaved = `the access token could not be stored in ${browserTokenFile(dataDir)} (${describeFsError(error)}): the next start will use another one`;
    return { token, source: 'new', notice: replaced ? `${replaced}, but ${unsaved}` : unsaved };
  }
  return { token, source: 'new', ...(replaced && { notice: `${replaced} (links and tabs holding the old one need the new URL)` }) };
}
