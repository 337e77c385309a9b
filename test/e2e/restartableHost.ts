import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { test as base } from '@playwright/test';
import { startBrowserHost, type BrowserHost } from './browserHost';

/** A browser host the test restarts itself: without PROCDECK_TOKEN, so what it serves with is the token it stored. */
export const test = base.extend<{ restartable: { first: BrowserHost; port: number; restart(): Promise<BrowserHost>; stop(): Promise<void> } }>({
  // eslint-disable-next-line no-empty-pattern
  restartable: async ({}, use) => {
    let current = await startBrowserHost({ token: null });
    const port = Number(new URL(current.host.url).port);
    const dataDir = current.host.dataDir;
    const stop = async (child: ChildProcess) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    };
    await use({
      first: current.host,
      port,
      // The same port: the tab's cookie is named per port, and its origin is host:port.
      restart: async () => {
        await stop(current.process);
        current = await startBrowserHost({ dataDir, port, token: null });
        return current.host;
      },
      stop: () => stop(current.process),
    });
    await stop(current.process);
    rmSync(dataDir, { recursive: true, force: true });
  },
});

