import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../engine/engine';
import { installFaultGuard } from '../host/faultGuard';
import { openEngineEndpoint } from '../host/localEndpoint/engineEndpoint';
import type { LocalEndpoint } from '../host/localEndpoint/localEndpoint';
import { appVersion } from './appVersion';
import { generateToken } from './auth';
import { exposureWarning, isLoopbackHost } from './bindAddress';
import { startBrowserHost, type BrowserHost } from './browserHost';
import { announcement, writeBrowserUrlFile } from './browserUrlFile';
import type { ServeOptions } from './cliArgs';

export interface RunningBrowserMode {
  host: BrowserHost;
  engine: Engine;
  /** The CLI's unix socket; undefined when it could not be opened (the reason was printed). */
  endpoint?: LocalEndpoint;
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
 * Browser mode as a process: opens the engine on the data directory, serves it (to browsers,
 * and to the CLI on the data directory's socket), says where, and on SIGINT/SIGTERM (or a
 * storm of faults nobody foresaw) stops every job before exiting.
 */
export async function runBrowserMode(options: ServeOptions, output: BrowserModeOutput = processOutput()): Promise<RunningBrowserMode> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const engine = Engine.open({ dataDir });
  const version = appVersion();
  let host: BrowserHost;
  try {
    host = await startBrowserHost({
      engine,
      token: options.token ?? generateToken(),
      host: options.host,
      port: options.port,
      fallbackToFreePort: options.portIsDefault,
      version,
      exposeUnencrypted: options.exposeUnencrypted,
    });
  } catch (error) {
    await engine.shutdown();
    throw error;
  }
  // After the engine took the data directory's lock: a socket file there is a dead host's.
  const endpoint = await openEngineEndpoint(engine, {
    dataDir,
    host: 'browser',
    version,
    dispatch: host.dispatch,
    warn: output.warn,
  });
  if (!isLoopbackHost(options.host)) output.warn(exposureWarning(options.host));
  for (const notice of host.notices()) output.warn(`Procdeck: ${notice}`);
  const urlFile = writeBrowserUrlFile(dataDir, host.url);
  output.print(announcement(host.origin, host.url, urlFile, output.stdoutIsTerminal));
  if (endpoint) output.print(`The procdeck command reaches it through ${endpoint.path}`);

  let stopping: Promise<void> | undefined;
  // The socket goes first (no new CLI connections, its file removed while the lock is still
  // ours); CLI clients already connected see their jobs stop, then are disconnected.
  const stop = () =>
    (stopping ??= (async () => {
      endpoint?.stopListening();
      await host.close();
      await engine.shutdown();
      await endpoint?.close();
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
  return { host, engine, endpoint, stop };
}
