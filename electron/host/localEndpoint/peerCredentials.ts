import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Socket } from 'node:net';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

export type PeerLookup = { ok: true; peer: PeerCredentials } | { ok: false; reason: string };

/**
 * SO_PEERCRED, which Node does not expose: the kernel records the connecting process's
 * pid, effective uid and gid when it calls connect(), and nothing the peer does afterwards
 * changes them. A one-line helper reads them from the connected socket handed to it as its
 * descriptor 3. perl is part of every Debian-like base system (perl-base is Essential);
 * python3 is the second choice.
 *
 * Descriptor 3, not stdin: libuv puts a child's descriptors 0-2 into blocking mode, and
 * O_NONBLOCK belongs to the open file description the child shares with us, so our own end
 * of the connection would turn blocking: one client that stops reading would then stall the
 * whole host on its next write.
 *
 * Not `ss -xp` (sock_diag's UNIX_DIAG_PEER, then /proc/<pid>/status): ss prints socket names
 * unescaped, so a client that binds its socket to a name holding a newline can forge whole
 * lines of its output, including the one naming our socket's peer.
 */
const HELPERS: { program: string; candidates: string[]; args: string[] }[] = [
  {
    program: 'perl',
    candidates: ['/usr/bin/perl', '/bin/perl'],
    args: [
      '-e',
      'use Socket qw(SOL_SOCKET SO_PEERCRED); open(my $s, "+<&=3") or die "fd 3: $!\\n"; my $c = getsockopt($s, SOL_SOCKET, SO_PEERCRED) or die "getsockopt: $!\\n"; my ($pid, $uid, $gid) = unpack("l L L", $c); print "$pid $uid $gid\\n";',
    ],
  },
  {
    program: 'python3',
    candidates: ['/usr/bin/python3', '/bin/python3'],
    args: ['-c', 'import socket,struct; s=socket.socket(fileno=3); print(*struct.unpack("iII", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)))'],
  },
];

const HELPER_TIMEOUT_MS = 15_000;

function findHelper(): { path: string; args: string[] } | undefined {
  for (const helper of HELPERS) {
    for (const path of helper.candidates) {
      try {
        accessSync(path, constants.X_OK);
        return { path, args: helper.args };
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

let helper: { path: string; args: string[] } | undefined | null = null;

/** The credentials the kernel recorded for the other end of a connected unix socket. */
export function readPeerCredentials(socket: Socket): Promise<PeerLookup> {
  if (process.platform !== 'linux') return Promise.resolve({ ok: false, reason: `peer credentials are read with SO_PEERCRED, which ${process.platform} does not have` });
  helper ??= findHelper();
  if (!helper) return Promise.resolve({ ok: false, reason: 'cannot read the peer credentials: neither perl nor python3 is installed (SO_PEERCRED helper)' });
  const { path, args } = helper;
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let settled = false;
    const settle = (lookup: PeerLookup) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(lookup);
    };
    // An empty environment and no inherited descriptors but the socket (libuv closes the rest).
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe', socket], env: {} });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ ok: false, reason: `the SO_PEERCRED helper (${path}) did not answer within ${HELPER_TIMEOUT_MS / 1000} s` });
    }, HELPER_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text.slice(0, 200)));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (err += text.slice(0, 500)));
    child.on('error', (error) => settle({ ok: false, reason: `the SO_PEERCRED helper (${path}) could not run: ${error.message}` }));
    child.on('close', (code) => {
      const match = /^(\d+) (\d+) (\d+)\n$/.exec(out);
      if (code === 0 && match) settle({ ok: true, peer: { pid: Number(match[1]), uid: Number(match[2]), gid: Number(match[3]) } });
      else settle({ ok: false, reason: `the SO_PEERCRED helper (${path}) failed (exit ${code}): ${err.trim() || JSON.stringify(out)}` });
    });
  });
}
