import { mkdirSync } from 'node:fs';
import type { CommandResponse } from '../../shared/contract';
import { isActive } from '../../shared/jobState';
import { resolve } from 'node:path';
import { Engine } from '../engine/engine';
import { EngineError } from '../engine/engineError';
import { installFaultGuard } from '../host/faultGuard';
import { openEngineEndpoint } from '../host/localEndpoint/engineEndpoint';
import type { LocalEndpoint } from '../host/localEndpoint/localEndpoint';
import { appVersion } from './appVersion';
import { generateToken } from './auth';
import { exposureWarning, isLoopbackHost } from './bindAddress';
import { startBrowserHost, type BrowserHost } from './browserHost';
import { announcement, writeBrowserUrlFile } from './browserUrlFile';
import type { ServeOptions } from './cliArgs';
import { processOutput } from './processOutput';
import { resumeOptimizer } from './optimizer';
import { shutdownOnSignals } from './shutdownSignals';
import { chooseToken, inspectStoredToken, storeToken } from './storedToken';

const TOKEN_OVERRIDDEN_AT_START = 'PROCDECK_TOKEN was set when this Procdeck started: a start with it set uses that token again, not this one';

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

/**
 * Browser mode as a process: opens the engine on the data directory, serves it (to browsers,
 * and to the CLI on the data directory's socket), says where, and on SIGINT, SIGTERM or SIGHUP
 * (or a storm of faults nobody foresaw) stops every job before exiting.
 */
export async function runBrowserMode(options: ServeOptions, output: BrowserModeOutput = processOutput()): Promise<RunningBrowserMode> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Before the engine makes the data directory private: a token others could read is not kept.
  const stored = inspectStoredToken(dataDir);
  const engine = Engine.open({ dataDir });
  const token = chooseToken(dataDir, stored, options.token);
  if (token.notice) output.warn(`Procdeck: ${token.notice}`);
  const version = appVersion();
  let host: BrowserHost;
  try {
    host = await startBrowserHost({
      engine,
      token: token.token,
      rotateToken: () => {
        const next = generateToken();
        try {
          storeToken(dataDir, next);
        } catch (error) {
          throw new EngineError('SYSTEM_REFUSED', `could not store a new access token (${(error as Error).message}); the current one stays in force`);
        }
        return options.token === undefined ? { token: next } : { token: next, notice: TOKEN_OVERRIDDEN_AT_START };
      },
      onUrlChanged: (url) => writeBrowserUrlFile(dataDir, url),
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
  if (options.config !== undefined) {
    await engine.loadConfigAtStart(options.config).then(
      (warnings) => warnings.forEach((line) => output.warn(`Procdeck: ${line}`)),
      (error: unknown) => output.warn(`Procdeck: ${(error as Error).message}`),
    );
  }
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
  shutdownOnSignals({ stop, killAll: () => killEveryJob(host.dispatch), exit: (code) => process.exit(code), say: output.warn });
  // Started: what runs from now on may be hot (the bins turned the optimizer off for the start).
  resumeOptimizer();
  return { host, engine, endpoint, stop };
}

/** Kill for every job still running, through the contract like any client; resolves with how many. */
async function killEveryJob(dispatch: BrowserHost['dispatch']): Promise<number> {
  const list = await dispatch('jobs.list', {});
  if (!list.ok) throw new Error(list.error.message);
  const { jobs } = list.value as CommandResponse<'jobs.list'>;
  const live = jobs.filter((job) => isActive(job.state));
  await Promise.all(live.map((job) => dispatch('jobs.kill', { jobId: job.id })));
  return live.length;
}
