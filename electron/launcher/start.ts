import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBrowserModeAndOpen } from './browserMode';
import { electronPackageDir, hasDisplay, locateElectronBinary } from './electronBinary';

// `npm start [-- --browser] [-- serve options]`: the desktop app where Electron can run,
// browser mode otherwise. Installs nothing; builds once if there is no build yet.

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_OUTPUTS = ['dist/renderer/index.html', 'dist/electron/main/index.js', 'dist/electron/preload/index.cjs'];

function ensureBuilt(): void {
  if (BUILD_OUTPUTS.every((file) => existsSync(`${root}${file}`))) return;
  console.log('Procdeck: no build found, running `npm run build` first…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('Procdeck: the build failed (see above).');
    process.exit(build.status ?? 1);
  }
}

function runElectron(electronPath: string): void {
  // The desktop app has no use for a browser token, and its jobs must never inherit one.
  const env = { ...process.env };
  delete env.PROCDECK_TOKEN;
  const child = spawn(electronPath, [root], { cwd: root, stdio: 'inherit', env });
  // Ctrl-C reaches Electron too (same process group); it stops the jobs and exits, and so do we.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const forceBrowser = args.includes('--browser');
  const serveArgs = args.filter((arg) => arg !== '--browser');
  ensureBuilt();

  const electron = locateElectronBinary(electronPackageDir());
  if (forceBrowser) return runBrowserModeAndOpen(serveArgs, 'Browser mode requested (--browser)');
  if (!electron.available) return runBrowserModeAndOpen(serveArgs, `Electron binary not available (${electron.reason})`);
  if (!hasDisplay()) return runBrowserModeAndOpen(serveArgs, 'Electron cannot open a window here (no display: $DISPLAY and $WAYLAND_DISPLAY are unset)');
  runElectron(electron.path);
}

main().catch((error: unknown) => {
  console.error(`procdeck: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
