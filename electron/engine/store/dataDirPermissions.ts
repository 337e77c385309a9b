import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './atomicJson';
import { describeFsError } from './fsErrors';

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');
const entries = (n: number) => `${n} ${n === 1 ? 'file or directory' : 'files and directories'}`;

/**
 * Makes the data directory the operator's alone: the directory 0700, what is in it 0600
 * (files) and 0700 (directories). It holds job logs and specs (and their environments), the
 * running registry and the lock: a job running as another user must not read or replace any
 * of them. Files Procdeck writes are created with these modes; this fixes a directory made
 * by someone else or by an older version, and says what it changed.
 *
 * The logs are walked only when the directory itself was open to others (then anything below
 * may have been made so too); otherwise only the top level is, which is cheap. What is inside
 * a job's private directory (sandbox/<job>) is the job's, and is left alone.
 */
export function makeDataDirPrivate(dataDir: string): string[] {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const notices: string[] = [];
  const mode = statSync(dataDir).mode;
  const wasOpen = (mode & 0o077) !== 0;
  if (wasOpen) {
    try {
      chmodSync(dataDir, PRIVATE_DIR_MODE);
    } catch (error) {
      notices.push(`the data directory ${dataDir} is readable by other users (mode ${octal(mode)}) and could not be made private (${describeFsError(error)})`);
      return notices;
    }
  }
  const fixed = tighten(dataDir, wasOpen ? ['logs'] : []);
  if (wasOpen) {
    notices.push(
      `the data directory ${dataDir} was open to other users (mode ${octal(mode)}); it is now 0700` +
        (fixed.count > 0 ? `, and ${entries(fixed.count)} in it ${fixed.count === 1 ? 'was' : 'were'} made private too` : ''),
    );
  } else if (fixed.count > 0) {
    notices.push(`${entries(fixed.count)} in the data directory ${dataDir} ${fixed.count === 1 ? 'was' : 'were'} open to other users; made private now (files 0600, directories 0700)`);
  }
  if (fixed.failed.length > 0) notices.push(`could not make private: ${fixed.failed.slice(0, 5).join('; ')}${fixed.failed.length > 5 ? ` and ${fixed.failed.length - 5} more` : ''}`);
  return notices;
}

/** Tightens the entries of `dir`, and everything below those named in `recurseInto` ('*': all). */
function tighten(dir: string, recurseInto: readonly string[]): { count: number; failed: string[] } {
  const result = { count: 0, failed: [] as string[] };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    result.failed.push(`${dir} (${describeFsError(error)})`);
    return result;
  }
  for (const name of names) {
    const path = join(dir, name);
    let stat;
    try {
      // lstat: a symlink is not followed (its target may be anywhere); its own mode means nothing.
      stat = lstatSync(path);
    } catch {
      continue; // gone meanwhile
    }
    if (stat.isSymbolicLink()) continue;
    const wanted = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((stat.mode & 0o077) !== 0) {
      try {
        chmodSync(path, (stat.mode & 0o700) | (wanted & 0o700));
        result.count++;
      } catch (error) {
        result.failed.push(`${path} (${describeFsError(error)})`);
      }
    }
    if (stat.isDirectory() && (recurseInto.includes(name) || recurseInto.includes('*'))) {
      const below = tighten(path, ['*']);
      result.count += below.count;
      result.failed.push(...below.failed);
    }
  }
  return result;
}
