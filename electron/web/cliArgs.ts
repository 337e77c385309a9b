import { parseArgs } from 'node:util';
import { resolveDataDir } from '../host/dataDir';
import { EXPOSE_FLAG, exposureRefusal, isLoopbackHost } from './bindAddress';

export const DEFAULT_PORT = 7420;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeOptions {
  host: string;
  port: number;
  /** True when the port was not chosen by the operator, so a taken default may become a free port. */
  portIsDefault: boolean;
  dataDir: string;
  token?: string;
  /** A non-loopback --host was accepted with --expose-unencrypted. */
  exposeUnencrypted: boolean;
}

export const USAGE = `Usage: npm run serve -- [--host H] [--port N] [--data-dir DIR] [${EXPOSE_FLAG}]

  --host H              address to listen on (default ${DEFAULT_HOST}; anything but loopback needs ${EXPOSE_FLAG})
  --port N              port (default ${DEFAULT_PORT}, or a free one when that is taken; 0 = any free port)
  --data-dir DIR        where jobs, settings and logs are kept (default $PROCDECK_DATA_DIR, else $XDG_DATA_HOME/procdeck
                        or ~/.local/share/procdeck)
  ${EXPOSE_FLAG}  allow a non-loopback --host (e.g. 0.0.0.0) although the host speaks plain HTTP:
                        the token can then be read off the network. Prefer TLS or an SSH tunnel (README, Security).

PROCDECK_TOKEN in the environment sets the access token instead of a random one (it is removed
from the environment at once, so no job inherits it).`;

export { defaultDataDir } from '../host/dataDir';

/** A token from the environment must be usable in a URL and a cookie as is, and not trivially guessable. */
export function validateToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9._~-]+$/.test(token)) return 'PROCDECK_TOKEN may only contain letters, digits and . _ ~ -';
  if (token.length < 16) return 'PROCDECK_TOKEN must be at least 16 characters long';
  return undefined;
}

export type ParsedCli = { kind: 'serve'; options: ServeOptions } | { kind: 'help' } | { kind: 'error'; message: string };

/**
 * Parses the command line. PROCDECK_TOKEN is taken out of `env` whatever happens next:
 * jobs get a copy of the environment, and the token must never be in it.
 */
export function parseServeArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedCli {
  const token = env.PROCDECK_TOKEN || undefined;
  delete env.PROCDECK_TOKEN;
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        [EXPOSE_FLAG.slice(2)]: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (values.port !== undefined && !/^\d+$/.test(values.port))) {
    return { kind: 'error', message: `--port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}` };
  }
  const host = values.host ?? DEFAULT_HOST;
  if (host.trim() === '') return { kind: 'error', message: '--host must not be empty' };
  const exposeUnencrypted = values[EXPOSE_FLAG.slice(2)] === true;
  if (!isLoopbackHost(host) && !exposeUnencrypted) return { kind: 'error', message: exposureRefusal(host) };

  if (token !== undefined) {
    const problem = validateToken(token);
    if (problem) return { kind: 'error', message: problem };
  }
  return {
    kind: 'serve',
    options: { host, port, portIsDefault: values.port === undefined, dataDir: resolveDataDir(values['data-dir'], env), token, exposeUnencrypted },
  };
}
