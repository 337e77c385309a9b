import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../engine/engine';
import { installFaultGuard } from '../host/faultGuard';
import { appVersion } from './appVersion';
import { generateToken } from './auth';
import { exposureWarning, isLoopbackHost } from './bindAddress';
import { startBrowserHost, type BrowserHost } from './browserHost';
import { announcement, writeBrowserUrlFile } from './browserUrlFile';
import type { ServeOptions } from './cliArgs';

export interface RunningBrowserMode {
  host: BrowserHost;
  engine: Engine;
  /** Closes the server, then stops every job within its grace period. */
  stop(): Promise<void>;
}

export interface BrowserModeOutput {
  print: (line: string) => void;
  warn: (line: string) => void;
  /** Whether stdout is a terminal: only then does the printed line carry the token. */
  stdoutIsTerminal: boolean;
}

const processOutput = (): BrowserModeOutput => ({
  print: (line) => console.log(line),
  warn: (line) => console.error(line),
  stdoutIsTerminal: process.stdout.isTTY === true,
});

/**
 * Browser mode as a process: opens the engine on the data directory, serves it, says where,
 * and on SIGINT/SIGTERM (or a storm of faults nobody foresaw) stops every job before exiting.
 */
export async function runBrowserMode(options: ServeOptions, output: BrowserModeOutput = processOutput()): Promise<RunningBrowserMode> {
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
      exposeUnencrypted: options.exposeUnencrypted,
    });
  } catch (error) {
    await engine.shutdown();
    throw error;
  }
  if (!isLoopbackHost(options.host)) output.warn(exposureWarning(options.host));
  for (const notice of host.notices()) output.warn(`Procdeck: ${notice}`);
  const urlFile = writeBrowserUrlFile(dataDir, host.url);
  output.print(announcement(host.origin, host.url, urlFile, output.stdoutIsTerminal));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await host.close();
      await engine.shutdown();
    })());
  installFaultGuard({ shutdown: stop });
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C while jobs are still in their grace period: give up waiting.
      process.exit(130);
    }
    output.print(`Procdeck: ${signal} received, stopping all jobs…`);
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
