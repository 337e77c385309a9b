// PM2 (the devDependency) with a private PM2_HOME per launch, driven through its programmatic
// API from this process (as `pm2 start` does, minus the CLI's own node start-up), its
// daemon killed at the end whatever happens.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { MarkedProcesses, inProc } from './procfs';
import { killQuietly, onBenchExit, sleeperArgv, type LaunchPlan, type Peer } from './peer';

/** The callback-style slice of PM2's API the bench uses (pm2/types describes the default instance only). */
interface Pm2Api {
  connect(cb: (error: Error | null) => void): void;
  disconnect(cb?: () => void): void;
  start(config: { apps: object[] }, cb: (error: Error | null) => void): void;
  stop(name: string, cb: (error: Error | null) => void): void;
  describe(name: string, cb: (error: Error | null, list: { pm2_env?: { status?: string } }[]) => void): void;
  dump(force: boolean, cb: (error: Error | null) => void): void;
  resurrect(cb: (error: Error | null) => void): void;
  killDaemon(cb: (error: Error | null) => void): void;
}
type Pm2Constructor = new (options: { pm2_home: string; daemon_mode: boolean }) => Pm2Api;

/**
 * PM2 for one PM2_HOME. Its modules read PM2_HOME when they are loaded, and its agent module
 * copies the paths it read then back over every later instance's (so a second instance would
 * write its dump into the first one's home): each peer loads PM2 afresh, PM2_HOME set first.
 */
function loadPm2(home: string): Pm2Constructor {
  const require = createRequire(import.meta.url);
  const pm2Dir = dirname(require.resolve('pm2/package.json'));
  for (const key of Object.keys(require.cache)) if (key.startsWith(pm2Dir + sep)) delete require.cache[key];
  process.env.PM2_HOME = home;
  return (require('pm2') as { custom: Pm2Constructor }).custom;
}

export function pm2Version(): string {
  const require = createRequire(import.meta.url);
  return (require('pm2/package.json') as { version: string }).version;
}

const promised = (run: (cb: (error: Error | null) => void) => void) =>
  new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));

const LOG_JOB = 'flood';

export class Pm2Peer implements Peer {
  readonly label: string;
  private readonly home = mkdtempSync(join(tmpdir(), 'pm2-bench-'));
  private pm2?: Pm2Api;
  private daemonPid = 0;
  private plan: LaunchPlan = {};
  private forgetCleanup?: () => void;

  constructor(private readonly options: { autorestart?: boolean; label: string }) {
    this.label = options.label;
  }

  async launch(plan: LaunchPlan): Promise<void> {
    this.plan = plan;
    this.forgetCleanup = onBenchExit(() => this.killEverything());
    await this.connect();
  }

  private async connect(): Promise<void> {
    // PM2 also spawns its daemon with this process's environment over its own PM2_HOME.
    const pm2 = new (loadPm2(this.home))({ pm2_home: this.home, daemon_mode: true });
    await promised((cb) => pm2.connect(cb));
    this.pm2 = pm2;
    this.daemonPid = Number(readFileSync(join(this.home, 'pm2.pid'), 'utf8'));
  }

  /** Omitted unless set: PM2's own default (autorestart: true) is then in force. */
  private appDefaults(): object {
    return this.options.autorestart === undefined ? {} : { autorestart: this.options.autorestart };
  }

  mainPid(): number {
    return this.daemonPid;
  }

  treeRoots(): number[] {
    return [this.daemonPid];
  }

  async startSleepers(): Promise<void> {
    const plan = this.plan.sleepers!;
    const [script, ...args] = sleeperArgv(plan);
    const apps = Array.from({ length: plan.count }, (_, i) => ({ name: `sleeper-${i}`, script, args, interpreter: 'none', ...this.appDefaults() }));
    await promised((cb) => this.pm2!.start({ apps }, cb));
  }

  async stopAll(): Promise<void> {
    await promised((cb) => this.pm2!.stop('all', cb));
  }

  async startLogJob(): Promise<void> {
    const { script } = this.plan.logJob!;
    // autorestart false whatever the settings: with PM2's default the flood would start over at once.
    const app = { name: LOG_JOB, script: 'sh', args: ['-c', script], interpreter: 'none', ...this.appDefaults(), autorestart: false };
    await promised((cb) => this.pm2!.start({ apps: [app] }, cb));
  }

  logJobEnded(): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.pm2!.describe(LOG_JOB, (error, list) => (error ? reject(error) : resolve(list.length > 0 && list.every((p) => p.pm2_env?.status !== 'online' && p.pm2_env?.status !== 'launching')))),
    );
  }

  logBytesOnDisk(): number {
    return statSync(join(this.home, 'logs', `${LOG_JOB}-out.log`), { throwIfNoEntry: false })?.size ?? 0;
  }

  /** `pm2 save` first: without a dump there is nothing for `pm2 resurrect` to bring back. */
  async saveState(): Promise<void> {
    await promised((cb) => this.pm2!.dump(true, cb));
  }

  crash(): void {
    killQuietly(this.daemonPid);
    this.pm2?.disconnect();
    this.pm2 = undefined;
  }

  /** A new daemon (any pm2 command starts one), then `pm2 resurrect`, PM2's documented recovery. */
  async relaunch(): Promise<void> {
    await this.connect();
    await promised((cb) => this.pm2!.resurrect(cb));
  }

  async close(): Promise<void> {
    if (this.pm2) {
      await Promise.race([promised((cb) => this.pm2!.killDaemon(cb)).catch(() => undefined), new Promise((r) => setTimeout(r, 30_000))]);
      this.pm2.disconnect();
    }
    this.killEverything();
    this.forgetCleanup?.();
    rmSync(this.home, { recursive: true, force: true });
  }

  private killEverything(): void {
    if (inProc(this.daemonPid)) killQuietly(this.daemonPid);
    for (const marker of [this.plan.sleepers?.marker, this.plan.logJob?.marker]) {
      if (marker) for (const pid of new MarkedProcesses(marker, false).scan(true)) killQuietly(pid);
    }
  }
}
