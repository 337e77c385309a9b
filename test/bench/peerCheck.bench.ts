// What the job-peer check (electron/host/jobPeers.ts jobConnectionRefusal) costs a new HTTP
// connection: the runs' sockets (engine.processes.runsSockets: every run process's descriptors
// read), then, only if some job holds a socket, the peer socket's inode from /proc/net/tcp. Each
// connection is the bench's own (held by no job): the answer is "not a job", after all of it.
// Baseline, same run: a plain loopback connection's round trip (connect, accept, one byte there
// and back), what every new connection pays anyway. Alternating rounds with no jobs,
// BENCH_PEER_JOBS (100) sleeping jobs (no socket), and as many jobs each holding a TCP socket
// (python3). Each check's parts are timed too: the scan and the table lookup, the latter on
// every connection whether the check needed it or not. BENCH_ROUNDS (5), BENCH_PEER_CHECKS (50).
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import { Engine } from '../../electron/engine/engine';
import { jobConnectionRefusal } from '../../electron/host/jobPeers';
import type { JobSpecInput } from '../../shared/jobSpec';
import { peerSocketInode } from '../../electron/web/peerUser';
import { tempDir } from '../engine/helpers';
import { waitFor } from '../support/wait';

const JOBS = Number(process.env.BENCH_PEER_JOBS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHECKS = Number(process.env.BENCH_PEER_CHECKS ?? 50);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (n: number) => n.toFixed(3);

/** An echo server on loopback: the server-side socket of each connection is handed to `onAccept` before the echo. */
async function echoServer(onAccept: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    onAccept(socket);
    socket.on('data', (data) => socket.write(data));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the echo server has no port');
  return { server, port: address.port };
}

/** One new connection: connect, one byte there and back, close; its wall time in ms. */
function roundTrip(port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const client = createConnection({ host: '127.0.0.1', port }, () => client.write('x'));
    client.once('data', () => {
      const took = performance.now() - started;
      client.destroy();
      resolve(took);
    });
    client.once('error', reject);
  });
}

interface CheckCost {
  /** The whole check, as the browser host makes it. */
  checkMs: number;
  /** Its scan of the runs' sockets. */
  scanMs: number;
  /** The peer's inode from /proc/net/tcp (the check reads it only when some job holds a socket). */
  inodeMs: number;
}

const timed = (work: () => unknown) => {
  const started = performance.now();
  work();
  return performance.now() - started;
};

/** The check and its two parts on `CHECKS` fresh connections, medians. */
async function checkCosts(engine: Engine): Promise<CheckCost> {
  const check: number[] = [];
  const scan: number[] = [];
  const inode: number[] = [];
  const { server, port } = await echoServer((socket) => {
    let refusal: string | undefined;
    check.push(timed(() => (refusal = jobConnectionRefusal(engine, () => peerSocketInode(socket)))));
    if (refusal) throw new Error(`the bench's own connection was refused: ${refusal}`);
    scan.push(timed(() => engine.processes.runsSockets()));
    let found: number | undefined;
    inode.push(timed(() => (found = peerSocketInode(socket))));
    if (found === undefined) throw new Error('the client socket is not in /proc/net/tcp');
  });
  try {
    for (let i = 0; i < CHECKS; i++) await roundTrip(port);
  } finally {
    server.close();
  }
  return { checkMs: median(check), scanMs: median(scan), inodeMs: median(inode) };
}

async function plainRoundTrip(): Promise<number> {
  const { server, port } = await echoServer(() => undefined);
  try {
    const took: number[] = [];
    for (let i = 0; i < CHECKS; i++) took.push(await roundTrip(port));
    return median(took);
  } finally {
    server.close();
  }
}

/** A job that holds a TCP socket (unconnected) and sleeps. */
const SOCKET_HOLDER: JobSpecInput['command'] = { kind: 'argv', program: 'python3', args: ['-c', 'import socket, time\ns = socket.socket()\nprint("holding", flush=True)\ntime.sleep(1000)'] };
const SLEEPER: JobSpecInput['command'] = { kind: 'argv', program: 'sleep', args: ['1000'] };

async function withJobs<T>(jobs: number, command: JobSpecInput['command'], measure: (engine: Engine) => Promise<T>): Promise<T> {
  const dataDir = tempDir('procdeck-peer-bench-');
  const engine = Engine.open({ dataDir, settings: { maxConcurrent: Math.max(jobs, 1) } });
  try {
    const ids = Array.from({ length: jobs }, (_, i) => engine.jobs.start({ name: `job ${i}`, command }).id);
    await waitFor(() => ids.every((id) => engine.jobs.get(id).state === 'running'), 'the jobs to run', 60_000);
    if (command === SOCKET_HOLDER) await waitFor(() => engine.processes.runsSockets().size >= jobs, 'every job to hold its socket', 60_000);
    return await measure(engine);
  } finally {
    await engine.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const show = (c: CheckCost) => `${ms(c.checkMs)} ms (scan ${ms(c.scanMs)}, table ${ms(c.inodeMs)})`;

export async function runPeerCheckBench(): Promise<void> {
  console.log(`job-peer check per new connection, ${ROUNDS} alternating rounds of ${CHECKS} connections, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const arms: [string, number, JobSpecInput['command']][] = [
    ['no jobs', 0, SLEEPER],
    [`${JOBS} sleep jobs (no socket)`, JOBS, SLEEPER],
    [`${JOBS} jobs holding a socket`, JOBS, SOCKET_HOLDER],
  ];
  const plain: number[] = [];
  const costs = arms.map(() => [] as CheckCost[]);
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(await plainRoundTrip());
    const line: string[] = [];
    for (const [i, [label, jobs, command]] of arms.entries()) {
      const cost = await withJobs(jobs, command, checkCosts);
      costs[i]!.push(cost);
      line.push(`${label} ${show(cost)}`);
    }
    console.log(`  round ${round + 1}: plain round trip ${ms(plain.at(-1)!)} ms; check with ${line.join('; ')}`);
  }
  const base = median(plain);
  for (const [i, [label]] of arms.entries()) {
    const arm = costs[i]!;
    const check = median(arm.map((c) => c.checkMs));
    console.log(`${label}: check ${ms(check)} ms = ${(check / base).toFixed(2)}× a plain connection's round trip (${ms(base)} ms); scan ${ms(median(arm.map((c) => c.scanMs)))} ms, table ${ms(median(arm.map((c) => c.inodeMs)))} ms`);
  }
  console.log(`(load average now ${loadavg()[0]!.toFixed(2)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runPeerCheckBench();
