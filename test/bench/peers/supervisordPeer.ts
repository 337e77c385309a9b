// supervisord (Debian's `supervisor` package) with a private config, socket and log dir per
// launch, driven over its XML-RPC interface on the unix socket (what supervisorctl speaks,
// minus supervisorctl's own Python start-up). Run with -n so it stays this process's child.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../support/wait';
import { MarkedProcesses } from './procfs';
import { killQuietly, onBenchExit, sleeperArgv, type LaunchPlan, type Peer } from './peer';

/** supervisord's version, or undefined when it is not installed. */
export function supervisordVersion(): string | undefined {
  try {
    return execFileSync('supervisord', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export interface SupervisordOptions {
  label: string;
  /** stopasgroup/killasgroup (default false: a stop signals the job's first process only). */
  groupSignals?: boolean;
  /** stdout_logfile_maxbytes=0; supervisord's default rotates at 50 MB and keeps 10 backups. */
  rotationOff?: boolean;
}

const LOG_JOB = 'flood';
const SLEEPERS = 'sleepers';

/** supervisord splits `command` itself (shlex): every argument double-quoted, so a script stays one argument. */
const commandLine = (argv: string[]) => argv.map((arg) => `"${arg.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(' ');

const xmlText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const xmlValue = (v: string | boolean) => (typeof v === 'boolean' ? `<boolean>${v ? 1 : 0}</boolean>` : `<string>${xmlText(v)}</string>`);

export class SupervisordPeer implements Peer {
  readonly label: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'supervisord-bench-'));
  private readonly socket = join(this.dir, 'supervisor.sock');
  private readonly config = join(this.dir, 'supervisord.conf');
  private readonly logFile = join(this.dir, `${LOG_JOB}.log`);
  private child?: ChildProcess;
  private plan: LaunchPlan = {};
  private forgetCleanup?: () => void;

  constructor(private readonly options: SupervisordOptions) {
    this.label = options.label;
  }

  async launch(plan: LaunchPlan): Promise<void> {
    this.plan = plan;
    this.forgetCleanup = onBenchExit(() => this.killEverything());
    writeFileSync(this.config, this.configText(plan));
    await this.startDaemon();
  }

  private configText(plan: LaunchPlan): string {
    const groupSignals = this.options.groupSignals ? ['stopasgroup=true', 'killasgroup=true'] : [];
    const sections = [
      `[unix_http_server]\nfile=${this.socket}\nchmod=0700`,
      `[supervisord]\nlogfile=${join(this.dir, 'supervisord.log')}\npidfile=${join(this.dir, 'supervisord.pid')}\nchildlogdir=${this.dir}`,
      `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface`,
    ];
    if (plan.sleepers) {
      const { count, autostart } = plan.sleepers;
      sections.push(
        [`[program:${SLEEPERS}]`, `command=${commandLine(sleeperArgv(plan.sleepers))}`, `numprocs=${count}`, 'process_name=%(program_name)s_%(process_num)03d', `autostart=${autostart}`, ...groupSignals].join('\n'),
      );
    }
    if (plan.logJob) {
      const rotation = this.options.rotationOff ? ['stdout_logfile_maxbytes=0'] : [];
      sections.push(
        [`[program:${LOG_JOB}]`, `command=${commandLine(['sh', '-c', plan.logJob.script])}`, 'autostart=false', 'autorestart=false', 'startsecs=0', `stdout_logfile=${this.logFile}`, ...rotation, ...groupSignals].join('\n'),
      );
    }
    return `${sections.join('\n\n')}\n`;
  }

  private async startDaemon(): Promise<void> {
    const child = spawn('supervisord', ['-n', '-c', this.config], { stdio: 'ignore' });
    this.child = child;
    let exited = false;
    child.once('exit', () => (exited = true));
    await waitFor(
      async () => {
        if (exited) throw new Error(`supervisord exited at start (see ${join(this.dir, 'supervisord.log')})`);
        return (await this.call('supervisor.getState').catch(() => '')).includes('RUNNING');
      },
      'supervisord to answer on its socket',
      60_000,
    );
  }

  /** One XML-RPC call; resolves with the response body, rejects on a fault. */
  call(method: string, ...params: (string | boolean)[]): Promise<string> {
    const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params.map((p) => `<param><value>${xmlValue(p)}</value></param>`).join('')}</params></methodCall>`;
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socket, path: '/RPC2', method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (text.includes('<fault>') ? reject(new Error(`supervisord: ${method}: ${text}`)) : resolve(text)));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  mainPid(): number {
    return this.child!.pid!;
  }

  treeRoots(): number[] {
    return [this.mainPid()];
  }

  async startSleepers(): Promise<void> {
    if (this.plan.sleepers!.autostart) return;
    // wait=true, as supervisorctl: the answer comes once every process is RUNNING (startsecs=1 after its spawn).
    await this.call('supervisor.startProcessGroup', SLEEPERS, true);
  }

  async stopAll(): Promise<void> {
    await this.call('supervisor.stopAllProcesses', true);
  }

  async startLogJob(): Promise<void> {
    await this.call('supervisor.startProcess', LOG_JOB, false);
  }

  async logJobEnded(): Promise<boolean> {
    const info = await this.call('supervisor.getProcessInfo', LOG_JOB);
    return /<name>statename<\/name>\s*<value><string>(EXITED|STOPPED|FATAL)<\/string>/.test(info);
  }

  logBytesOnDisk(): number {
    return statSync(this.logFile, { throwIfNoEntry: false })?.size ?? 0;
  }

  crash(): void {
    killQuietly(this.mainPid());
  }

  async relaunch(): Promise<void> {
    await this.startDaemon();
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolveExit) => child.once('exit', resolveExit));
      await this.call('supervisor.shutdown').catch(() => child.kill('SIGTERM'));
      await Promise.race([gone, new Promise((r) => setTimeout(r, 30_000))]);
    }
    this.killEverything();
    this.forgetCleanup?.();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private killEverything(): void {
    if (this.child?.pid && this.child.exitCode === null && this.child.signalCode === null) killQuietly(this.child.pid);
    for (const marker of [this.plan.sleepers?.marker, this.plan.logJob?.marker]) {
      if (marker) for (const pid of new MarkedProcesses(marker, false).scan(true)) killQuietly(pid);
    }
  }
}
