import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from '../bin/buildFreshness.js';
import { parseServeArgs, USAGE } from '../web/cliArgs';
import { SHUTDOWN_SIGNALS } from '../web/shutdownSignals';
import { runBrowserModeAndOpen } from './browserMode';
import { electronPackageDir, hasDisplay, locateElectronBinary } from './electronBinary';

// `npm start [-- --browser] [-- serve options]`: the desktop app where Electron can run,
// browser mode otherwise. Installs nothing; builds what is missing or older than its sources.

const root = fileURLToPath(new URL('../../', import.meta.url));

function runElectron(electronPath: string, args: string[]): void {
  // The desktop app has no use for a browser token, and its jobs must never inherit one.
  const env = { ...process.env };
  const parsed = parseServeArgs(args, env);
  if (parsed.kind !== 'serve') {
    console.error(parsed.kind === 'error' ? `procdeck: ${parsed.message}\n\n${USAGE}` : USAGE);
    process.exit(parsed.kind === 'error' ? 2 : 0);
  }
  // The same data directory browser mode and the CLI would use (--data-dir included).
  env.PROCDECK_DATA_DIR = parsed.options.dataDir;
  const child = spawn(electronPath, [root], { cwd: root, stdio: 'inherit', env });
  // Ctrl-C (and SIGHUP when the terminal goes) reaches Electron too (same process group); it
  // stops the jobs and exits, and so do we. Passed on as well, for a signal sent to us alone.
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const forceBrowser = args.includes('--browser');
  const serveArgs = args.filter((arg) => arg !== '--browser');

  const electron = locateElectronBinary(electronPackageDir());
  const browserMode = forceBrowser
    ? 'Browser mode requested (--browser)'
    : !electron.available
      ? `Electron binary not available (${electron.reason})`
      : !hasDisplay()
        ? 'Electron cannot open a window here (no display: $DISPLAY and $WAYLAND_DISPLAY are unset)'
        : undefined;
  await ensureFreshBuild(root, browserMode ? ['renderer'] : ['renderer', 'electron']);
  if (browserMode || !electron.available) return runBrowserModeAndOpen(serveArgs, browserMode ?? '');
  runElectron(electron.path, serveArgs);
}

main().catch((error: unknown) => {
  console.error(`procdeck: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
