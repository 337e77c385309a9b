import { connect, type Socket } from 'node:net';
import type { Engine } from '../../electron/engine/engine';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import { jobPeerRefusal } from '../../electron/host/jobPeers';
import { startLocalEndpoint, type LocalEndpoint, type LocalEndpointOptions } from '../../electron/host/localEndpoint/localEndpoint';
import type { LocalServerMessage } from '../../electron/host/localEndpoint/protocol';
import { openEngine } from '../engine/helpers';
import { waitFor } from '../support/wait';

const endpoints: LocalEndpoint[] = [];

/** A real engine with the local endpoint on its data directory, as both hosts open it (openEngineEndpoint). */
export async function startEndpoint({ engine = openEngine(), ...options }: Partial<LocalEndpointOptions> & { engine?: Engine } = {}): Promise<{ engine: Engine; endpoint: LocalEndpoint; dataDir: string; warnings: string[] }> {
  const dataDir = options.dataDir ?? engine.info().dataDir;
  const warnings: string[] = [];
  const endpoint = await startLocalEndpoint({
    dataDir,
    host: 'browser',
    version: 'test',
    dispatch: createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' })),
    engineEvents: engine.events,
    onViewerGone: (viewer) => engine.monitor.viewerGone(viewer),
    demandSystemStats: (wanted) => engine.monitor.demandSystemStats(wanted),
    warn: (line) => warnings.push(line),
    refusePeer: (pid) => jobPeerRefusal(engine, pid),
    ...options,
  });
  endpoints.push(endpoint);
  return { engine, endpoint, dataDir, warnings };
}

export async function closeEndpoints(): Promise<void> {
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
}

/** A client that writes exactly the bytes given and records every line it gets back, parsed. */
export class RawLocalClient {
  readonly messages: LocalServerMessage[] = [];
  private buffered = '';
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffered += text;
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) !== -1) {
        this.messages.push(JSON.parse(this.buffered.slice(0, newline)) as LocalServerMessage);
        this.buffered = this.buffered.slice(newline + 1);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async connect(path: string): Promise<RawLocalClient> {
    const socket = connect(path);
    const client = new RawLocalClient(socket);
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await client.waitFor((m) => m.type === 'hello' || m.type === 'refused', 'the greeting');
    return client;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  results(): Extract<LocalServerMessage, { type: 'result' }>[] {
    return this.messages.filter((m): m is Extract<LocalServerMessage, { type: 'result' }> => m.type === 'result');
  }

  waitFor(match: (message: LocalServerMessage) => boolean, what: string, timeoutMs?: number): Promise<LocalServerMessage> {
    return waitFor(() => this.messages.find(match), what, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}
