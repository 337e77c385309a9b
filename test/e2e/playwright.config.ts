import { defineConfig } from '@playwright/test';
import { DEFAULT_WAIT_MS } from '../support/wait';

// Debian's Chromium, never a downloaded one: this machine (and CI) cannot fetch browsers.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  // Safety nets, not synchronisation: the machine is shared and a wait may take seconds.
  timeout: 120_000,
  expect: { timeout: DEFAULT_WAIT_MS },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
