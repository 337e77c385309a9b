import { parseServeArgs, USAGE } from '../web/cliArgs';
import { runBrowserMode } from '../web/serve';
import { openInSystemBrowser } from './systemBrowser';

/**
 * `npm start` without Electron: browser mode, then the system browser opened on it. The
 * browser gets a single-use login code, never the token: its command line is readable by
 * every user on the machine (/proc/<pid>/cmdline) for as long as it runs.
 */
export async function runBrowserModeAndOpen(args: string[], why: string): Promise<void> {
  const parsed = parseServeArgs(args);
  if (parsed.kind !== 'serve') {
    console.error(parsed.kind === 'error' ? `procdeck: ${parsed.message}\n\n${USAGE}` : USAGE);
    process.exit(parsed.kind === 'error' ? 2 : 0);
  }
  console.log(`${why}; starting browser mode`);
  const { host } = await runBrowserMode(parsed.options);
  openInSystemBrowser(host.loginUrl());
}
