import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../engine/engine';
import { appVersion } from './appVersion';
import { generateToken } from './auth';
import { startBrowserHost, type BrowserHost } from './browserHost';
import type { ServeOptions } from './cliArgs';

export interface RunningBrowserMode {
  host: BrowserHost;
  engine: Engine;
  /** Closes the server, then stops every job within its grace period. */
  stop(): Promise<void>;
}

/**
 * Browser mode as a process: opens the engine on the data directory, serves it, prints the
 * URL, and on SIGINT/SIGTERM stops every job before exiting.
 */
export async function runBrowserMode(options: ServeOptions, print: (line: string) => void = console.log): Promise<RunningBrowserMode> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const engine = Engine.open({ dataDir });
  let host: BrowserHost;
  try {
    host = await startBrowserHost({
      engine,
      token: options.token ?? generateToken(),
      host: options.host,
      port: options.port,
      fallbackToFreePort: options.portIsDefault,
      version: appVersion(),
    });
  } catch (error) {
    await engine.shutdown();
    throw error;
  }
  print(`Procdeck (browser mode) at ${host.url}`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await host.close();
      await engine.shutdown();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C while jobs are still in their grace period: give up waiting.
      process.exit(130);
    }
    print(`Procdeck: ${signal} received, stopping all jobs…`);
    void stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Procdeck: shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { host, engine, stop };
}
