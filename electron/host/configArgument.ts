import { resolve } from 'node:path';

/**
 * `--config FILE` (or `--config=FILE`) among a process's arguments, absolute (relative to the
 * directory Procdeck was started in); undefined when absent. The desktop app's arguments come
 * through Electron, which adds its own (the app path, Chromium switches): only this one is read.
 */
export function configArgument(argv: readonly string[], cwd = process.cwd()): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--config=')) return pathOf(arg.slice('--config='.length), cwd);
    if (arg === '--config') return pathOf(argv[i + 1], cwd);
  }
  return undefined;
}

function pathOf(value: string | undefined, cwd: string): string {
  if (value === undefined || value.trim() === '' || value.startsWith('--')) throw new Error('--config must name a file');
  return resolve(cwd, value);
}
