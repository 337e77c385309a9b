import { once } from 'node:events';
import { chmodSync, closeSync, lstatSync, mkdtempSync, openSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';
import { basename, dirname, join } from 'node:path';

/** sun_path holds 108 bytes, its terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 107;

export interface SocketAddress {
  /** What to hand to bind/connect: the path itself, or the same file through /proc/self/fd when the path is too long. */
  address: string;
  /** Releases what the short address needed (a directory descriptor), once the socket no longer needs the path. */
  release(): void;
}

/**
 * A unix socket path longer than sun_path allows is reached through its directory's open
 * descriptor (/proc/self/fd/N/name), which the kernel resolves like any other path: data
 * directories deep in a home directory still get their socket.
 */
export function socketAddress(path: string): SocketAddress {
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES) return { address: path, release: () => {} };
  const dirFd = openSync(dirname(path), 'r');
  const address = `/proc/self/fd/${dirFd}/${basename(path)}`;
  if (Buffer.byteLength(address) > MAX_SOCKET_PATH_BYTES) {
    closeSync(dirFd);
    throw new Error(`the socket name ${JSON.stringify(basename(path))} is too long for a unix socket`);
  }
  return { address, release: () => closeSync(dirFd) };
}

export interface SocketFileIdentity {
  dev: number;
  ino: number;
}

export interface BoundSocketFile {
  /** The name the kernel recorded at bind time (a private directory's, since renamed away). */
  boundAddress: string;
  identity: SocketFileIdentity;
  /** After the server has closed: the descriptor that kept a long bound path resolvable. */
  release(): void;
}

/**
 * Listens on `path` with mode 0600 from the first moment anyone could reach it, and takes
 * over a stale socket left there by a crashed host. The socket is bound inside a fresh
 * private (0700) directory, chmod'ed, then renamed onto `path`: rename replaces a leftover
 * atomically and a client never meets a half-made or more permissive socket. Anything at
 * `path` that is not a socket is left alone and refused. The caller must hold the data
 * directory's lock: only then is a socket already at `path` known to be a dead host's.
 */
export async function listenOnSocketFile(server: Server, path: string): Promise<BoundSocketFile> {
  const existing = lstatIfAny(path);
  if (existing && !existing.isSocket()) throw new Error(`${path} exists and is not a socket; not replacing it (move it away to let the CLI connect)`);
  const privateDir = mkdtempSync(join(dirname(path), '.procdeck-bind-'));
  const bindPath = join(privateDir, 'socket');
  let address: SocketAddress | undefined;
  try {
    address = socketAddress(bindPath);
    server.listen(address.address);
    await once(server, 'listening');
    chmodSync(bindPath, 0o600);
    renameSync(bindPath, path);
    const stat = lstatSync(path);
    return { boundAddress: address.address, identity: { dev: stat.dev, ino: stat.ino }, release: address.release };
  } catch (error) {
    server.close();
    address?.release();
    throw error;
  } finally {
    rmSync(privateDir, { recursive: true, force: true });
  }
}

/** Removes the socket file only if it is still the one we made: a newer host may have replaced it. */
export function removeSocketFileIfOurs(path: string, identity: SocketFileIdentity): void {
  const stat = lstatIfAny(path);
  if (stat && stat.dev === identity.dev && stat.ino === identity.ino) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  }
}

function lstatIfAny(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
