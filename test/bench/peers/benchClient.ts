// A WebSocket client of the browser host for the bench. test/web/helpers.ts's TestClient keeps
// every message and lets each pending invoke scan them; with 500 invokes in flight that is
// work in the bench process, on the same two cores as the server being timed. This one
// answers an invoke by its id and keeps only the latest snapshot of each job.
import WebSocket from 'ws';
import type { CommandName, CommandRequest, CommandResponse, CommandResult, WsServerMessage } from '../../../shared/contract';
import type { JobSnapshot } from '../../../shared/jobSnapshot';

export class BenchClient {
  readonly jobs = new Map<string, JobSnapshot>();
  private nextId = 1;
  private readonly pending = new Map<number, (result: CommandResult<CommandName>) => void>();
  private readonly onJobsChanged = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(JSON.parse(data.toString()) as WsServerMessage));
  }

  static async connect(port: number, token: string): Promise<BenchClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    const client = new BenchClient(socket);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return client;
  }

  private receive(message: WsServerMessage): void {
    if (message.type === 'result' && message.id !== null) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.type === 'event' && message.name === 'jobs.changed') {
      for (const job of (message.payload as { jobs: JobSnapshot[] }).jobs) this.jobs.set(job.id, job);
      for (const wake of this.onJobsChanged) wake();
    }
  }

  invoke<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (result) => (result.ok ? resolve(result.value as CommandResponse<N>) : reject(new Error(`${name} failed: ${result.error.message}`))));
      this.socket.send(JSON.stringify({ type: 'invoke', id, name, request }));
    });
  }

  /** Resolves once `condition` holds, checked whenever job snapshots arrive. */
  whenJobs(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        this.onJobsChanged.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.onJobsChanged.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.onJobsChanged.add(check);
      check();
    });
  }

  close(): void {
    this.socket.terminate();
  }
}
