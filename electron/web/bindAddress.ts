import { isIPv4, isIPv6 } from 'node:net';

/** The operator's explicit consent to serving plain HTTP beyond this machine. */
export const EXPOSE_FLAG = '--expose-unencrypted';

/**
 * True for addresses only this machine can reach: `localhost`, 127.0.0.0/8, `::1` (and
 * its IPv4-mapped forms). Any other name or address, `0.0.0.0` and `::` included, may be
 * reachable from the network.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  if (isIPv6(bare)) return bare === '::1' || /^(0{0,4}:){0,5}:?ffff:127\./.test(bare) || /^(0{0,4}:){7}0{0,3}1$/.test(bare);
  return false;
}

export const exposureRefusal = (host: string) =>
  `--host ${host} is not a loopback address: the browser host speaks plain HTTP, so the access token and everything ` +
  `on the page would cross the network unencrypted. Keep the default (127.0.0.1) and reach it through TLS or an SSH ` +
  `tunnel (see README, Security), or pass ${EXPOSE_FLAG} to bind it anyway.`;

export const exposureWarning = (host: string) =>
  `WARNING: listening on ${host} over plain HTTP (${EXPOSE_FLAG}): anyone on the network path can read the access ` +
  `token and take control of Procdeck. Put a TLS reverse proxy in front, or use an SSH tunnel instead (README, Security).`;
