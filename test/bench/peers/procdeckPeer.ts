// Procdeck as an operator runs it: a browser-host server process (what `npm run serve` runs,
// or PROCDECK_SERVER_CMD), driven over its WebSocket by a client that loads and subscribes
// like the renderer does.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobSpecInput } from '../../../shared/jobSpec';
import { isFinal } from '../../../shared/jobState';
import type { SettingsPatchInput } from '../../../shared/settings';
import type { CommandName, CommandRequest, CommandResponse } from '../../../shared/contract';
import { waitFor } from '../../support/wait';
import { BenchClient } from './benchClient';
import { MarkedProcesses } from './procfs';
import { killQuietly, onBenchExit, sleeperArgv, type LaunchPlan, type Peer } from './peer';

const root = resolve(import.meta.dirname, '../../..');

// The server takes its token from the environment (and removes it there, so no job inherits it).
const TOKEN = 'peers0bench0token0000000000000000';

const splitCommand = (text: string) => text.trim().split(/\s+/);

/** package.json's `serve` script (`node <flags> electron/bin/procdeck.js serve`), run with this node, without npm. */
function serveScript(): string[] {
  const [node, ...rest] = splitCommand((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.serve!);
  if (node !== 'node') throw new Error(`package.json's serve script does not start with node: ${node} ${rest.join(' ')}`);
  return [process.execPath, ...rest];
}

/** The server process the bench measures: what `npm run serve` runs; PROCDECK_SERVER_CMD replaces it. */
export const serverCommand = (): string[] => (process.env.PROCDECK_SERVER_CMD ? splitCommand(process.env.PROCDECK_SERVER_CMD) : serveScript());

/**
 * Another build measured beside it in the same run (before/after figures), e.g. an older
 * checkout's `node /tmp/old/electron/bin/procdeck.js serve`: PROCDECK_BASELINE_CMD, none by default.
 */
export const baselineCommand = (): string[] | undefined => (process.env.PROCDECK_BASELINE_CMD ? splitCommand(process.env.PROCDECK_BASELINE_CMD) : undefined);

/** What the operator types to get that server (its whole chain is measured); PROCDECK_LAUNCH_CMD replaces it. */
export const launchCommand = (): string[] => (process.env.PROCDECK_LAUNCH_CMD ? splitCommand(process.env.PROCDECK_LAUNCH_CMD) : ['npm', 'run', 'serve', '--']);

export interface ProcdeckOptions {
  label: string;
  /** The settings the operator would change in the UI, applied before anything is measured. */
  settings?: SettingsPatchInput;
  /** The command line to run (default: serverCommand()). */
  command?: string[];
}

export class ProcdeckPeer implements Peer {
  readonly label: string;
  private readonly base = mkdtempSync(join(tmpdir(), 'procdeck-peer-'));
  private readonly dataDir = join(this.base, 'data');
  private child?: ChildProcess;
  private client?: BenchClient;
  private port = 0;
  private plan: LaunchPlan = {};
  private sleeperIds: string[] = [];
  private logJobId?: string;
  private forgetCleanup?: () => void;
  private registryAtCrash?: string;

  constructor(private readonly options: ProcdeckOptions) {
    this.label = options.label;
    chmodSync(this.base, 0o755);
    mkdirSync(this.dataDir, { mode: 0o700 });
  }

  async launch(plan: LaunchPlan): Promise<void> {
    this.plan = plan;
    this.forgetCleanup = onBenchExit(() => this.killEverything());
    await this.startServer();
    if (this.options.settings) await this.invoke('settings.update', this.options.settings);
  }

  private async startServer(): Promise<void> {
    const [file, ...args] = this.options.command ?? serverCommand();
    // Output to files, not pipes: a server whose stdout reader is gone loops on EPIPE (see the findings).
    const outPath = join(this.base, 'server.out');
    // Appended to across a relaunch: only what this server prints announces it.
    const printedBefore = statSync(outPath, { throwIfNoEntry: false })?.size ?? 0;
    const [out, err] = [openSync(outPath, 'a'), openSync(join(this.base, 'server.err'), 'a')];
    // Its own process group: closing it reaches every process of a launch chain (npm, sh, tsx, node).
    const child = spawn(file!, [...args, '--port', '0', '--data-dir', this.dataDir], {
      cwd: root,
      env: { ...process.env, PROCDECK_TOKEN: TOKEN },
      stdio: ['ignore', out, err],
      detached: true,
    });
    closeSync(out);
    closeSync(err);
    this.child = child;
    let exited = false;
    child.once('exit', () => (exited = true));
    const printed = () => this.diagnostics();
    const origin = await waitFor(
      () => {
        if (exited) throw new Error(`${this.label}: the server exited before announcing itself (${printed()})`);
        return /browser mode\) at (http:\/\/[^/\s]+)/.exec(readFileSync(outPath).subarray(printedBefore).toString())?.[1];
      },
      () => `${this.label}'s announcement (${printed()})`,
      120_000,
    );
    this.port = Number(new URL(origin).port);
    await this.attachUi();
  }

  /** A client that connects, loads and stays subscribed like the renderer (every event is pushed to it). */
  async attachUi(): Promise<void> {
    this.client = await BenchClient.connect(this.port, TOKEN);
    await this.loadLikeTheRenderer();
  }

  /** The tab closed: no client at all. */
  detachUi(): void {
    this.client?.close();
    this.client = undefined;
  }

  /** What renderer/src/app/bootstrap.ts and the monitor feature ask for on every connection. */
  private async loadLikeTheRenderer(): Promise<void> {
    await Promise.all([
      this.invoke('engine.info', {}),
      this.invoke('settings.get', {}),
      this.invoke('batches.list', {}),
      this.invoke('groups.list', {}),
      this.invoke('watch.list', {}),
      this.invoke('jobs.list', {}).then(({ jobs }) => jobs.forEach((job) => this.client!.jobs.set(job.id, job))),
    ]);
  }

  invoke<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
    return this.client!.invoke(name, request).catch((error: Error) => {
      throw new Error(`${this.label}: ${error.message}`);
    });
  }

  /** Sends every start at once (one WebSocket, pipelined), as a script or the UI's batch would. */
  async startJobs(specs: JobSpecInput[]): Promise<string[]> {
    const started = await Promise.all(specs.map((spec) => this.invoke('jobs.start', { spec })));
    return started.map(({ job }) => job.id);
  }

  private ended(id: string): boolean {
    const job = this.client?.jobs.get(id);
    return job !== undefined && isFinal(job.state);
  }

  /** Resolves once every job in `ids` is in a final state, as the pushed jobs.changed events say. */
  allEnded(ids: readonly string[], timeoutMs = 120_000): Promise<void> {
    return this.client!.whenJobs(() => ids.every((id) => this.ended(id)), `${ids.length} jobs to end`, timeoutMs);
  }

  diagnostics(): string {
    const tail = (name: string) => JSON.stringify(readFileSync(join(this.base, name), { encoding: 'utf8', flag: 'a+' }).slice(-2000));
    const registry = this.registryAtCrash === undefined ? '' : `; running.journal when it was killed: ${this.registryAtCrash.split('\n').filter(Boolean).length} lines`;
    return `server stdout: ${tail('server.out')}, stderr: ${tail('server.err')}${registry}`;
  }

  /** What the server printed on stdout so far (its announcement; with `--trace-opt`, V8's tiering trace). */
  serverOutput(): string {
    return readFileSync(join(this.base, 'server.out'), { encoding: 'utf8', flag: 'a+' });
  }

  mainPid(): number {
    return this.child!.pid!;
  }

  treeRoots(): number[] {
    return [this.mainPid()];
  }

  async startSleepers(): Promise<void> {
    const plan = this.plan.sleepers!;
    const [program, ...args] = sleeperArgv(plan);
    this.sleeperIds = await this.startJobs(Array.from({ length: plan.count }, () => ({ command: { kind: 'argv', program: program!, args }, stdin: 'closed' })));
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.sleeperIds.filter((id) => !this.ended(id)).map((jobId) => this.invoke('jobs.stop', { jobId })));
  }

  async startLogJob(): Promise<void> {
    const { script } = this.plan.logJob!;
    [this.logJobId] = await this.startJobs([{ command: { kind: 'argv', program: 'sh', args: ['-c', script] }, stdin: 'closed' }]);
  }

  async logJobEnded(): Promise<boolean> {
    return this.logJobId !== undefined && this.ended(this.logJobId);
  }

  logBytesOnDisk(): number {
    return filesUnder(join(this.dataDir, 'logs'))
      .filter((path) => path.includes(this.logJobId ?? '\0'))
      .reduce((sum, path) => sum + (statSync(path, { throwIfNoEntry: false })?.size ?? 0), 0);
  }

  crash(): void {
    killQuietly(this.mainPid());
    this.detachUi();
    // What crash recovery will have to go on (the restarted engine rewrites the file at once).
    this.registryAtCrash = readFileSync(join(this.dataDir, 'running.journal'), { encoding: 'utf8', flag: 'a+' });
  }

  async relaunch(): Promise<void> {
    await this.startServer();
  }

  async close(): Promise<void> {
    this.detachUi();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolveExit) => child.once('exit', resolveExit));
      // SIGTERM: the server stops its jobs, then exits.
      killQuietly(-child.pid!, 'SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 30_000))]);
    }
    this.killEverything();
    this.forgetCleanup?.();
    rmSync(this.base, { recursive: true, force: true });
  }

  private killEverything(): void {
    if (this.child?.pid) killQuietly(-this.child.pid);
    for (const marker of [this.plan.sleepers?.marker, this.plan.logJob?.marker]) {
      if (marker) for (const pid of new MarkedProcesses(marker, false).scan(true)) killQuietly(pid);
    }
  }
}


function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names.map((name) => join(dir, name));
}
