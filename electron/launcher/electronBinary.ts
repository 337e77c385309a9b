import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };

/** The installed electron package's folder, if there is one. */
export function electronPackageDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * Finds the Electron executable the way the electron package's index.js does, without
 * requiring it: that index.js starts a download when the binary is missing, which on a
 * machine without access to Electron's download host hangs or fails instead of answering.
 */
export function locateElectronBinary(packageDir: string | undefined, env: NodeJS.ProcessEnv = process.env, exists = existsSync): ElectronBinary {
  if (!packageDir) return { available: false, reason: 'the electron package is not installed' };
  const pathFile = join(packageDir, 'path.txt');
  const relative = exists(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return exists(path) ? { available: true, path } : { available: false, reason: `${path} (ELECTRON_OVERRIDE_DIST_PATH) does not exist` };
  }
  if (!relative) return { available: false, reason: 'it was never downloaded: node_modules/electron/dist is missing' };
  const path = join(packageDir, 'dist', relative);
  return exists(path) ? { available: true, path } : { available: false, reason: `${path} is missing` };
}

/** Electron needs a display server to open its window; a headless machine gets browser mode. */
export const hasDisplay = (env: NodeJS.ProcessEnv = process.env) => Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
