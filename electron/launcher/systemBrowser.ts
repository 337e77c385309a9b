import { accessSync, constants } from 'node:fs';
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { hasDisplay } from './electronBinary';

export function findOnPath(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Opens the URL in the desktop's browser when there is a desktop to open it on. Never fails:
 * the URL has been printed already, and a missing browser is not an error.
 */
export function openInSystemBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const opener = findOnPath('xdg-open', env);
  if (!opener || !hasDisplay(env)) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
