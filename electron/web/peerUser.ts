import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { endianness, networkInterfaces } from 'node:os';

export interface Endpoint {
  address: string;
  port: number;
}

/** 16 bytes of an IPv6 address (`::`, an embedded IPv4 tail); undefined for anything else. */
function ipv6Bytes(address: string): number[] | undefined {
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return undefined;
  let text = bare;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1]!.split('.').map(Number));
    text = `${text.slice(0, -v4[1]!.length)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const words = (part: string | undefined) => (part ? part.split(':').filter((w) => w !== '').map((w) => parseInt(w, 16)) : []);
  const front = words(head);
  const back = words(rest);
  const all = rest === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const bytes = all.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : undefined;
}

/** How /proc/net/tcp{,6} print an address: each 32-bit word in the machine's byte order, in hex. */
function procAddress(address: string): { file: 'tcp' | 'tcp6'; hex: string } | undefined {
  const bytes = isIPv4(address) ? address.split('.').map(Number) : ipv6Bytes(address);
  if (!bytes) return undefined;
  const hex = (word: number[]) => (endianness() === 'LE' ? [...word].reverse() : word).map((b) => b.toString(16).padStart(2, '0')).join('');
  const words: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(hex(bytes.slice(i, i + 4)));
  return { file: bytes.length === 4 ? 'tcp' : 'tcp6', hex: words.join('').toUpperCase() };
}

const procEndpoint = (endpoint: Endpoint, hex: string) => `${hex}:${endpoint.port.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The uid that owns the socket at `client` connected to `server`, as the kernel records it
 * in /proc/net/tcp (a loopback peer's socket is listed there too); undefined when not found.
 */
export function socketOwnerUid(client: Endpoint, server: Endpoint, readTable?: (file: string) => string): number | undefined {
  return socketEntry(client, server, readTable)?.uid;
}

/** The uid and the inode of the socket at `client` connected to `server` (/proc/net/tcp's uid and inode columns); undefined when not found. */
export function socketEntry(client: Endpoint, server: Endpoint, readTable = (file: string) => readFileSync(`/proc/net/${file}`, 'utf8')): { uid: number; inode: number } | undefined {
  const from = procAddress(client.address);
  const to = procAddress(server.address);
  if (!from || !to || from.file !== to.file) return undefined;
  let table: string;
  try {
    table = readTable(from.file);
  } catch {
    return undefined;
  }
  // One search of the whole text, not a split of every row: the table lists every socket of
  // the namespace (TIME_WAIT ones too, hundreds on a busy API), and only one row is wanted. A
  // row is "sl: local remote st …", single spaces between them; no other two columns have the
  // shape "hex:port hex:port".
  const at = table.indexOf(` ${procEndpoint(client, from.hex)} ${procEndpoint(server, to.hex)} `);
  if (at < 0) return undefined;
  const end = table.indexOf('\n', at);
  // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
  const fields = table.slice(table.lastIndexOf('\n', at) + 1, end < 0 ? undefined : end).trim().split(/\s+/);
  return { uid: Number(fields[7]), inode: Number(fields[9]) };
}

/**
 * Whether an address is one of this machine's (loopback, or an address of one of its
 * interfaces now): only then can the other end of a connection be a process here. Read each
 * time, not kept: an address added since is counted.
 */
export function isOwnMachineAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (bare === '::1' || (isIPv4(bare) && bare.startsWith('127.'))) return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((entry) => entry.address === bare));
}

export interface PeerSocket {
  remoteAddress?: string;
  remotePort?: number;
  localAddress?: string;
  localPort?: number;
}

/**
 * True when the other end of this connection is a process of the user this host runs as.
 * Linux only (where /proc tells); elsewhere it cannot be told and the answer is true.
 */
export function peerIsOwnUser(socket: PeerSocket, ownUid = process.getuid?.()): boolean {
  if (process.platform !== 'linux' || ownUid === undefined) return true;
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return false;
  return socketOwnerUid({ address: remoteAddress, port: remotePort }, { address: localAddress, port: localPort }) === ownUid;
}

/** Whether the other end of this connection is on this machine (its address is one of the machine's): only then can it be a process here. */
export function peerIsOnThisMachine(socket: PeerSocket): boolean {
  return socket.remoteAddress !== undefined && isOwnMachineAddress(socket.remoteAddress);
}

/** The inode of the socket at the other end of this loopback connection (/proc/net/tcp), undefined when it cannot be told. */
export function peerSocketInode(socket: PeerSocket): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return undefined;
  return socketEntry({ address: remoteAddress, port: remotePort }, { address: localAddress, port: localPort })?.inode;
}
