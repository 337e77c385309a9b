import { accessSync, closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** One file, whatever path or link leads to it: a copy is another file, a symlink or hard link the same. */
export interface FileIdentity {
  dev: number;
  ino: number;
  realPath: string;
}

export function identify(path: string): FileIdentity | undefined {
  try {
    // Most lookups miss (a name tried in each PATH directory): no exception for those.
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat && { dev: stat.dev, ino: stat.ino, realPath: realpathSync.native(path) };
  } catch {
    return undefined;
  }
}

export const sameFile = (a: FileIdentity | undefined, b: FileIdentity | undefined) => a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;

/** glibc's execvp searches this when PATH is unset (confstr _CS_PATH). */
export const EXECVP_DEFAULT_PATH = '/bin:/usr/bin';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file execvp would run for `name`, searching `path` (undefined: PATH unset) from `cwd`
 * (undefined: not known, e.g. a launcher that changes into a directory it reads elsewhere).
 * Returns undefined when no file would be found, or when the answer depends on an unknown cwd.
 */
export function findProgram(name: string, path: string | undefined, cwd: string | undefined): string | undefined {
  if (name === '') return undefined;
  if (name.includes('/')) {
    if (!isAbsolute(name) && cwd === undefined) return undefined;
    const full = isAbsolute(name) ? name : resolve(cwd!, name);
    return isExecutableFile(full) ? full : undefined;
  }
  for (const dir of (path ?? EXECVP_DEFAULT_PATH).split(delimiter)) {
    // An empty or relative PATH entry is searched from the cwd.
    if (!isAbsolute(dir) && cwd === undefined) return undefined;
    const candidate = join(isAbsolute(dir) ? dir : resolve(cwd!, dir), name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** What exec does with a file: load it (ELF), run the interpreter its "#!" line names, or (no magic) hand it to /bin/sh. */
export type ExecFormat = { kind: 'binary' } | { kind: 'script'; interpreter: string; arg?: string } | { kind: 'no-magic' };

/** Linux reads at most this much of a "#!" line (BINPRM_BUF_SIZE). */
const SHEBANG_MAX = 256;

export function execFormat(file: string): ExecFormat {
  const head = Buffer.alloc(SHEBANG_MAX);
  let length: number;
  try {
    // Non-blocking: opening a FIFO a job named as its program would otherwise wait for a writer, and the engine with it.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    try {
      // Only a regular file can be exec'd; anything else fails at exec (EACCES) and has no "#!" to read.
      if (!fstatSync(fd).isFile()) return { kind: 'binary' };
      length = readSync(fd, head, 0, SHEBANG_MAX, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Unreadable: exec would fail or the kernel loads it without us; treat as a binary.
    return { kind: 'binary' };
  }
  const bytes = head.subarray(0, length);
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes.toString('latin1', 1, 4) === 'ELF') return { kind: 'binary' };
  if (bytes.length < 2 || bytes[0] !== 0x23 || bytes[1] !== 0x21) return { kind: 'no-magic' };
  const line = bytes.toString('latin1', 2).split('\n')[0]!;
  // The kernel: the interpreter is the first word; everything after it, trimmed, is one argument.
  const match = /^[ \t]*([^ \t]+)[ \t]*(.*?)[ \t]*$/.exec(line);
  if (!match) return { kind: 'no-magic' };
  return match[2] ? { kind: 'script', interpreter: match[1]!, arg: match[2] } : { kind: 'script', interpreter: match[1]! };
}
