import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import {
  commands,
  events,
  isEventName,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
  type EventName,
  type EventPayload,
} from '../../shared/contract';
import { LineFramer } from '../host/localEndpoint/lineFramer';
import { localServerMessageSchema, localSocketPath, MAX_SERVER_LINE_BYTES, type LocalHello } from '../host/localEndpoint/protocol';
import { socketAddress } from '../host/localEndpoint/socketFile';
import { CliError, RequestFailed } from './cliErrors';

export type ContractEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** An answer, and how many events had arrived before it: they happened before the command ran. */
export interface OrderedAnswer<N extends CommandName> {
  value: CommandResponse<N>;
  eventsBefore: number;
}

interface Pending {
  /** The command answered; undefined for a subscription (its answer is empty). */
  name?: CommandName;
  resolve(answer: OrderedAnswer<CommandName>): void;
  reject(error: Error): void;
}

const HELLO_TIMEOUT_MS = 30_000;

export const howToStart = 'start it with `procdeck serve` (browser mode) or `npm start`';

function connectionFailure(error: NodeJS.ErrnoException, dataDir: string, path: string): CliError {
  switch (error.code) {
    case 'ENOENT':
      return new CliError(
        existsSync(dataDir)
          ? `Procdeck is not running on ${dataDir} (no ${path}); ${howToStart}`
          : `Procdeck is not running on ${dataDir} (the directory does not exist); ${howToStart}`,
      );
    case 'ECONNREFUSED':
      return new CliError(`Procdeck is not running on ${dataDir} (${path} is left from a host that has exited); ${howToStart}`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`cannot connect to ${path}: permission denied (it belongs to another user: run procdeck as the user running Procdeck)`);
    default:
      return new CliError(`cannot connect to ${path}: ${error.message}`);
  }
}

/**
 * The CLI's side of the local endpoint: one connection, requests matched to answers by id,
 * every answer checked against the command's response schema and every event against the
 * contract, so what the CLI prints (and `--json` passes on) is the contract's own objects.
 */
export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: ContractEvent, sequence: number) => void>();
  private eventCount = 0;
  private closedReason?: string;
  private readonly closeListeners = new Set<(reason: string) => void>();

  private constructor(
    private readonly socket: Socket,
    readonly hello: LocalHello,
    private readonly framer: LineFramer,
  ) {}

  /** Connects to the host on `dataDir`; fails with one line saying what to do when there is none. */
  static async connect(dataDir: string): Promise<EngineClient> {
    const path = localSocketPath(dataDir);
    const address = socketAddress(path);
    const socket = connect(address.address);
    const framer = new LineFramer(MAX_SERVER_LINE_BYTES);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', (error) => reject(connectionFailure(error, dataDir, path)));
      });
    } finally {
      address.release();
    }
    const hello = await new Promise<LocalHello>((resolve, reject) => {
      const timer = setTimeout(() => fail(new CliError(`no greeting from Procdeck on ${path} within ${HELLO_TIMEOUT_MS / 1000} s`)), HELLO_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        const [first] = framer.push(chunk);
        if (!first) return;
        socket.off('data', onData);
        clearTimeout(timer);
        if (first.kind === 'oversized') return fail(new CliError(`Procdeck on ${path} sent an oversized greeting`));
        const message = parseServerLine(first.text);
        if (message?.type === 'refused') return fail(new CliError(`Procdeck on ${path} ${message.message}`));
        if (message?.type !== 'hello') return fail(new CliError(`${path} did not greet like Procdeck: ${first.text.slice(0, 200)}`));
        socket.pause();
        resolve(message);
      };
      socket.on('data', onData);
      socket.once('close', () => fail(new CliError(`Procdeck on ${path} closed the connection before greeting`)));
      socket.once('error', (error) => fail(new CliError(`connection to ${path} failed: ${error.message}`)));
    });
    const client = new EngineClient(socket, hello, framer);
    client.listen();
    return client;
  }

  /** Sends a command; resolves with its (schema-checked) response, or throws RequestFailed. */
  async invoke<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
    return (await this.invokeOrdered(name, request)).value;
  }

  invokeOrdered<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<OrderedAnswer<N>> {
    if (this.closedReason !== undefined) return Promise.reject(new CliError(this.closedReason));
    const id = this.nextId++;
    return new Promise<OrderedAnswer<N>>((resolve, reject) => {
      this.pending.set(id, { name, resolve: resolve as Pending['resolve'], reject });
      this.socket.write(`${JSON.stringify({ type: 'invoke', id, name, request })}\n`);
    });
  }

  /** Has `events` pushed from now on; each reaches `listener` with its arrival number. */
  async subscribe(names: EventName[], listener: (event: ContractEvent, sequence: number) => void): Promise<void> {
    this.listeners.add(listener);
    if (this.closedReason !== undefined) throw new CliError(this.closedReason);
    const id = this.nextId++;
    await new Promise<OrderedAnswer<CommandName>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ type: 'subscribe', id, events: names })}\n`);
    });
  }

  /** Stops reading from the host (the reader of our output is slower); it then skips log output for us. */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  onClose(listener: (reason: string) => void): void {
    if (this.closedReason !== undefined) listener(this.closedReason);
    else this.closeListeners.add(listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private listen(): void {
    this.socket.on('data', (chunk: Buffer) => {
      for (const line of this.framer.push(chunk)) {
        if (line.kind === 'oversized') this.closeWith(`Procdeck sent a message larger than ${MAX_SERVER_LINE_BYTES} bytes`);
        else this.handle(line.text);
      }
    });
    this.socket.on('error', (error) => this.closeWith(`the connection to Procdeck failed: ${error.message}`));
    this.socket.on('close', () => this.closeWith('Procdeck closed the connection (it shut down, or this client fell too far behind)'));
    this.socket.resume();
  }

  private handle(text: string): void {
    const message = parseServerLine(text);
    if (!message) return this.closeWith(`Procdeck sent a line this CLI does not understand: ${text.slice(0, 200)}`);
    if (message.type === 'refused') return this.closeWith(`Procdeck ended the connection: ${message.message}`);
    if (message.type === 'event') {
      if (!isEventName(message.name)) return;
      const parsed = events[message.name].safeParse(message.payload);
      if (!parsed.success) return this.closeWith(`Procdeck sent a ${message.name} event this CLI does not understand (a different version?)`);
      const sequence = this.eventCount++;
      for (const listener of this.listeners) listener({ name: message.name, payload: parsed.data } as ContractEvent, sequence);
      return;
    }
    if (message.type !== 'result' || message.id === null) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    const { result } = message;
    if (!result.ok) return pending.reject(new RequestFailed(pending.name ?? 'subscribe', result.error));
    if (pending.name === undefined) return pending.resolve({ value: {} as CommandResponse<CommandName>, eventsBefore: this.eventCount });
    const parsed = commands[pending.name].response.safeParse(result.value);
    if (!parsed.success) return pending.reject(new CliError(`Procdeck answered ${pending.name} with something this CLI does not understand (a different version?)`));
    pending.resolve({ value: parsed.data, eventsBefore: this.eventCount });
  }

  private closeWith(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.socket.destroy();
    for (const pending of this.pending.values()) pending.reject(new CliError(reason));
    this.pending.clear();
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
  }
}

function parseServerLine(text: string) {
  try {
    const parsed = localServerMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
