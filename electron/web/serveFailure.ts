import type { ServeOptions } from './cliArgs';

/** Why browser mode could not start, in the operator's terms (a taken port, an address this machine does not have). */
export function describeServeFailure(error: unknown, options: Pick<ServeOptions, 'host' | 'port'>): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${options.port} on ${options.host} is already in use (choose another with --port, or 0 for any free port)`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${options.host}: no such local address`;
  return error instanceof Error ? error.message : String(error);
}
