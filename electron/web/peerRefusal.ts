import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Why the other end of a connection is refused whatever it sends (a job's process: host/jobPeers.ts), or undefined. */
export type PeerRefusal = (socket: Socket) => string | undefined;

/**
 * The peer check, asked once a connection (the peer of a TCP connection does not change) and
 * only of a request that passed the access policy: its cost (every run process's descriptors
 * read, ~6 ms with 100 jobs) is then paid by token holders alone, not by anyone who can open
 * a connection, and a job without the token is refused by the policy anyway.
 */
export function cachedPeerRefusal(refusePeer: PeerRefusal | undefined): PeerRefusal {
  const answers = new WeakMap<Socket, string | null>();
  return (socket) => {
    if (!refusePeer) return undefined;
    let answer = answers.get(socket);
    if (answer === undefined) answers.set(socket, (answer = refusePeer(socket) ?? null));
    return answer ?? undefined;
  };
}

/** The 403 for a refused peer; the connection closes after it. */
export function sendPeerRefusal(response: ServerResponse, refusal: string, headers: OutgoingHttpHeaders): void {
  const body = `${refusal}\n`;
  response.writeHead(403, { ...headers, Connection: 'close', 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
