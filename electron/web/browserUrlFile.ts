import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The page's URL, token included, for the operator alone: `<data dir>/browser-url`, mode 0600. */
export const browserUrlFile = (dataDir: string) => join(dataDir, 'browser-url');

/**
 * Writes a secret where only this user can read it: 0600 from the moment the file exists,
 * whatever the umask, then renamed into place so no reader sees half of it.
 */
export function writePrivateFile(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes the URL (token included) for the operator; returns the path. */
export function writeBrowserUrlFile(dataDir: string, url: string): string {
  const path = browserUrlFile(dataDir);
  writePrivateFile(path, `${url}\n`);
  return path;
}

/**
 * The line that says where Procdeck is. The token goes to a terminal only: stdout that is a
 * pipe or a file (`npm start | tee log`) may be kept or read by others, so there the line
 * names the file that holds the full URL instead.
 */
export function announcement(origin: string, url: string, urlFile: string, stdoutIsTerminal: boolean): string {
  return stdoutIsTerminal
    ? `Procdeck (browser mode) at ${url}`
    : `Procdeck (browser mode) at ${origin}/ (the URL with its access token is in ${urlFile}, readable only by you)`;
}
