import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineClient, type ContractEvent } from '../../electron/cli/engineClient';
import { startLocalEndpoint } from '../../electron/host/localEndpoint/localEndpoint';
import { readPeerCredentials } from '../../electron/host/localEndpoint/peerCredentials';
import { localSocketPath } from '../../electron/host/localEndpoint/protocol';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import { commands } from '../../shared/contract';
import { closeEngines, openEngine, tempDir, waitFor } from '../engine/helpers';
import { closeEndpoints, RawLocalClient, startEndpoint } from './localEndpointHelpers';

afterEach(closeEndpoints);
afterAll(closeEngines);

const clients: EngineClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
const connectClient = async (dataDir: string) => {
  const client = await EngineClient.connect(dataDir);
  clients.push(client);
  return client;
};

/** A unix socket file left behind the way a crashed host leaves it: its process SIGKILLed while listening. */
async function leaveStaleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  expect(lstatSync(path).isSocket()).toBe(true);
}

const connectError = (path: string) =>
  new Promise<string | undefined>((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });

describe('the local endpoint', () => {
  it('listens at <data dir>/procdeck.sock with mode 0600, greets, answers and pushes what was subscribed to', async () => {
    const { engine, endpoint, dataDir } = await startEndpoint();
    expect(endpoint.path).toBe(join(dataDir, 'procdeck.sock'));
    const stat = lstatSync(endpoint.path);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);

    const client = await connectClient(dataDir);
    expect(client.hello).toMatchObject({ type: 'hello', host: 'browser', version: 'test', pid: process.pid, protocol: 1 });
    expect(await client.invoke('jobs.list', {})).toEqual({ jobs: [], queue: [] });

    const seen: ContractEvent[] = [];
    await client.subscribe(['jobs.changed'], (event) => seen.push(event));
    const { job } = await client.invoke('jobs.start', { spec: { command: { kind: 'argv', program: 'true' } } });
    await waitFor(() => seen.some((e) => e.name === 'jobs.changed' && e.payload.jobs.some((j) => j.id === job.id && j.state === 'exited')), 'the job to be reported exited');
    // Only what was asked for.
    expect(new Set(seen.map((e) => e.name))).toEqual(new Set(['jobs.changed']));
    expect(engine.jobs.get(job.id).exitCode).toBe(0);
  });

  it('measures and pushes system.tick to a client subscribed to it, with no system view open', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const { dataDir } = await startEndpoint({ engine });
    const client = await connectClient(dataDir);
    // With nothing to sample the loop pauses: the subscription itself must wake it.
    await waitFor(() => !engine.samplingActive, 'the idle sampling loop to pause');
    const ticks: ContractEvent[] = [];
    await client.subscribe(['system.tick'], (event) => ticks.push(event));
    await waitFor(() => ticks.length >= 2, 'two system ticks');
    expect(ticks[0]).toMatchObject({ name: 'system.tick', payload: { memory: { total: expect.any(Number) } } });
    // The engine's viewer list is the host's business: it is not sent.
    expect(ticks[0]!.payload).not.toHaveProperty('viewers');
  });

  it('answers a typed error, naming what was wrong, for a request its schema refuses', async () => {
    const { dataDir } = await startEndpoint();
    const client = await connectClient(dataDir);
    await expect(client.invoke('jobs.start', { spec: { command: { kind: 'argv', program: '' } } })).rejects.toMatchObject({
      error: { code: 'INVALID_REQUEST', message: expect.stringContaining('program must not be empty') },
    });
    await expect(client.subscribe(['jobs.changed', 'jobs.exploded' as 'jobs.changed'], () => undefined)).rejects.toMatchObject({
      error: { code: 'INVALID_REQUEST', message: 'unknown event "jobs.exploded"' },
    });
  });

  it('replaces the socket a crashed host left behind', async () => {
    const engine = openEngine();
    const path = localSocketPath(engine.info().dataDir);
    await leaveStaleSocket(path);
    expect(await connectError(path)).toBe('ECONNREFUSED');
    const { dataDir } = await startEndpoint({ engine });
    const client = await connectClient(dataDir);
    expect(await client.invoke('jobs.list', {})).toEqual({ jobs: [], queue: [] });
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
  });

  it('leaves a file that is not a socket alone and says so', async () => {
    const engine = openEngine();
    const dataDir = engine.info().dataDir;
    writeFileSync(localSocketPath(dataDir), 'precious');
    const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' }));
    await expect(startLocalEndpoint({ dataDir, host: 'browser', version: 'test', dispatch, engineEvents: engine.events })).rejects.toThrow(/procdeck\.sock exists and is not a socket; not replacing it/);
    expect(readFileSync(localSocketPath(dataDir), 'utf8')).toBe('precious');
  });

  it('removes its socket when closed, but never a newer host’s', async () => {
    const engine = openEngine();
    const first = await startEndpoint({ engine });
    const second = await startEndpoint({ engine });
    await first.endpoint.close();
    expect(lstatSync(second.endpoint.path).isSocket()).toBe(true);
    expect(await (await connectClient(second.dataDir)).invoke('jobs.list', {})).toMatchObject({ jobs: [] });
    await second.endpoint.close();
    expect(existsSync(second.endpoint.path)).toBe(false);
  });

  it('works for a data directory whose path is too long for a unix socket name', async () => {
    const deep = join(tempDir('procdeck-long-'), 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(deep, { recursive: true, mode: 0o700 });
    expect(Buffer.byteLength(localSocketPath(deep))).toBeGreaterThan(107);
    const { dataDir, endpoint } = await startEndpoint({ engine: openEngine({ dataDir: deep }) });
    expect(endpoint.path).toBe(join(deep, 'procdeck.sock'));
    expect(await (await connectClient(dataDir)).invoke('jobs.list', {})).toEqual({ jobs: [], queue: [] });
  });
});

describe('who may connect', () => {
  it('reads the connecting process from the kernel (SO_PEERCRED)', async () => {
    const { endpoint } = await startEndpoint();
    const peers: unknown[] = [];
    const { endpoint: probe } = await startEndpoint({
      readPeer: async (socket) => {
        const lookup = await readPeerCredentials(socket);
        peers.push(lookup);
        return lookup;
      },
    });
    await RawLocalClient.connect(probe.path);
    expect(peers).toEqual([{ ok: true, peer: { pid: process.pid, uid: process.getuid!(), gid: process.getgid!() } }]);
    expect(endpoint.clientCount).toBe(0);
  });

  it('refuses a peer of another uid, and one whose uid cannot be told, before reading anything from it', async () => {
    const otherUser = await startEndpoint({ readPeer: async () => ({ ok: true, peer: { pid: 4242, uid: process.getuid!() + 1, gid: 0 } }) });
    const refused = await RawLocalClient.connect(otherUser.endpoint.path);
    refused.write(`${JSON.stringify({ type: 'invoke', id: 1, name: 'jobs.start', request: { spec: { command: { kind: 'argv', program: 'true' } } } })}\n`);
    await waitFor(() => refused.closed, 'the refused connection to be closed');
    expect(refused.messages).toEqual([{ type: 'refused', message: `refused: uid ${process.getuid!() + 1} is not the user running Procdeck` }]);
    expect(otherUser.engine.jobs.list()).toEqual([]);
    expect(otherUser.warnings.join('\n')).toContain('from pid 4242');

    const unknown = await startEndpoint({ readPeer: async () => ({ ok: false, reason: 'no SO_PEERCRED helper' }) });
    const unidentified = await RawLocalClient.connect(unknown.endpoint.path);
    expect(unidentified.messages).toEqual([{ type: 'refused', message: 'refused: cannot tell which user is connecting: no SO_PEERCRED helper' }]);
  });

  it('refuses connections beyond its limit at once', async () => {
    const { endpoint } = await startEndpoint({ readPeer: async () => ({ ok: true, peer: { pid: 1, uid: process.getuid!(), gid: 0 } }) });
    const held = await Promise.all(Array.from({ length: 64 }, () => RawLocalClient.connect(endpoint.path)));
    expect(held.every((c) => c.messages[0]?.type === 'hello')).toBe(true);
    const extra = await RawLocalClient.connect(endpoint.path);
    expect(extra.messages[0]).toEqual({ type: 'refused', message: 'refused: too many connections (at most 64)' });
    for (const client of held) client.close();
    await waitFor(() => endpoint.clientCount === 0, 'the held connections to be gone');
    expect((await RawLocalClient.connect(endpoint.path)).messages[0]?.type).toBe('hello');
  });
});

describe('every response is the contract’s', () => {
  it('parses with the command’s response schema', async () => {
    const { dataDir } = await startEndpoint();
    const raw = await RawLocalClient.connect(localSocketPath(dataDir));
    raw.write(`${JSON.stringify({ type: 'invoke', id: 7, name: 'engine.info', request: {} })}\n`);
    const answer = await raw.waitFor((m) => m.type === 'result' && m.id === 7, 'the answer');
    if (answer.type !== 'result' || !answer.result.ok) throw new Error(JSON.stringify(answer));
    expect(commands['engine.info'].response.parse(answer.result.value)).toMatchObject({ host: 'browser', dataDir });
  });
});
