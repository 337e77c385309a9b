import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');

export interface BrowserHost {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
}

export interface BrowserHostStart {
  /** An existing data dir (a restart); default: a fresh one. */
  dataDir?: string;
  /** Default 0: any free port. A restart names the port it had, as the default port 7420 would be kept. */
  port?: number;
  /** PROCDECK_TOKEN; null: none, so the host uses the token stored in the data dir (or makes one). */
  token?: string | null;
  /** Settings saved in a fresh data dir beside maxConcurrent (a Slurm test's slurmConf). */
  settings?: Record<string, unknown>;
}

const E2E_TOKEN = 'e2e0123456789abcdef0123456789ab';

/** Starts the real browser host (npm run serve), by default on a free port with a fresh data dir. */
export async function startBrowserHost(options: BrowserHostStart = {}): Promise<{ host: BrowserHost; process: ChildProcess }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'procdeck-e2e-'));
  // Enough slots that the tests' long-running jobs never wait in the queue for each other.
  if (!options.dataDir) writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ maxConcurrent: 32, ...options.settings }));
  const given = options.token === undefined ? E2E_TOKEN : options.token;
  const { PROCDECK_TOKEN: _inherited, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron/web/cli.ts'), '--port', String(options.port ?? 0), '--data-dir', dataDir], {
    cwd: root,
    env: given === null ? env : { ...env, PROCDECK_TOKEN: given },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // stdout is a pipe here, not a terminal: the host prints its address without the token and
  // names the file (0600, in the data dir) that holds the full URL.
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /URL with its access token is in (\S+),/.exec(line);
      if (match) resolveUrl(readFileSync(match[1]!, 'utf8').trim());
    });
    child.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
  });
  const token = new URL(url).searchParams.get('token')!;
  if (given !== null && token !== given) throw new Error(`the URL file holds ${url}, not the token the host was given`);
  return { host: { url, origin: new URL(url).origin, token, dataDir }, process: child };
}

export const test = base.extend<{ app: Page }, { host: BrowserHost }>({
  host: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: it must be `{}`.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { host, process: child } = await startBrowserHost();
      await use(host);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(host.dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  app: async ({ page, host }, use) => {
    await page.goto(host.url);
    await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await use(page);
  },
});

export { expect };

let counter = 0;
/** A name no other test uses, so rows can be found by name. */
export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

export async function launch(page: Page, command: string, name: string): Promise<void> {
  await page.getByLabel('Command').fill(command);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
}

export const jobRow = (page: Page, name: string) => page.getByRole('grid', { name: 'Jobs' }).getByRole('row').filter({ hasText: name });
