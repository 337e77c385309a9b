import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { cgroupConf, clusterPaths, parseSlurmdC, slurmConf, type ClusterLayout, type ClusterPaths } from './clusterConfig';
import { Daemon } from './daemon';
import { reapAbandonedClusters, removeCluster, startTicks } from './leftovers';
import { waitForSlurm } from './slurmWait';

/** Test clusters live in `<tmp>/procdeck-slurm-*`; a dir whose owner died is reaped by the next start. */
const DIR_PREFIX = 'procdeck-slurm-';
const REST_API = '/slurm/v0.0.38';

const NEEDED = ['munged', 'munge', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'scancel', 'sstat', 'sinfo', 'srun'] as const;

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, program)));
}

/** Why a single-node Slurm cannot run here, or undefined when it can. Cheap and synchronous (collection time). */
export function slurmUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `Slurm test cluster needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'Slurm test cluster runs its daemons as root; these tests are not running as root';
  const missing = NEEDED.filter((p) => !onPath(p));
  if (missing.length > 0) return `Slurm is not installed (missing ${missing.join(', ')}): apt-get install -y slurm-wlm munge slurmrestd`;
  return undefined;
}

export interface LocalSlurmOptions {
  /** task/cgroup constrains cores and memory (a --mem hog ends OUT_OF_MEMORY). Default true. */
  constrain?: boolean;
  /** slurmrestd on a unix socket, when installed. Default true. */
  rest?: boolean;
  /** Up to this many jobs share one core (OverSubscribe=FORCE), so this 2-core node can run more than 2 jobs at once. Default 1. */
  jobsPerCore?: number;
}

/** Ports the kernel hands out as free right now; Slurm binds them a few ms later. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// The shared setup in ../shared/cluster uses 47610-47613; a developer's own cluster may too.
const RESERVED_PORTS = new Set([47610, 47611, 47612, 47613]);

async function twoFreePorts(): Promise<[number, number]> {
  for (;;) {
    const a = await freePort();
    const b = await freePort();
    if (a !== b && !RESERVED_PORTS.has(a) && !RESERVED_PORTS.has(b)) return [a, b];
  }
}

/** GET over slurmrestd's unix socket; resolves with the status code. */
function restStatus(socketPath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * A private one-node Slurm (munged, slurmctld, slurmd, and slurmrestd on a unix socket) in a
 * temp dir, on loopback, as root: proctrack/cgroup, task/affinity (+ task/cgroup). Clients
 * reach it through `env.SLURM_CONF`. `stop()` leaves nothing: no daemon, no job process,
 * no cgroup, no dir.
 */
export class LocalSlurm {
  private ctld: Daemon | undefined;
  private readonly daemons: Daemon[] = [];
  private stopped = false;
  /** slurmrestd's socket, when it runs. */
  restSocket: string | undefined;

  private constructor(
    readonly layout: ClusterLayout,
    private readonly daemonEnv: Record<string, string>,
  ) {}

  get paths(): ClusterPaths {
    return this.layout.paths;
  }
  get nodeName(): string {
    return this.layout.nodeName;
  }
  get cpus(): number {
    return this.layout.hardware.cpus;
  }
  /** What a Slurm client needs in its environment to talk to this cluster. */
  get env(): { SLURM_CONF: string } {
    return { SLURM_CONF: this.paths.conf };
  }

  static async start(options: LocalSlurmOptions = {}): Promise<LocalSlurm> {
    const why = slurmUnavailableReason();
    if (why) throw new Error(why);
    await reapAbandonedClusters(DIR_PREFIX);
    const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    const paths = clusterPaths(dir);
    writeFileSync(paths.ownerFile, JSON.stringify({ pid: process.pid, startTicks: startTicks(process.pid) }));
    let cluster: LocalSlurm | undefined;
    try {
      const [ctldPort, slurmdPort] = await twoFreePorts();
      const { stdout: hw } = await execa('slurmd', ['-C'], { timeout: 20_000 });
      const layout: ClusterLayout = {
        paths,
        nodeName: `pdt${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!)}`,
        hostName: hostname().split('.')[0]!,
        ctldPort,
        slurmdPort,
        hardware: parseSlurmdC(hw),
        constrain: options.constrain ?? true,
        jobsPerCore: options.jobsPerCore ?? 1,
      };
      for (const d of [paths.mungeDir, paths.stateDir, join(paths.spoolDir, layout.nodeName), paths.logDir, paths.runDir, paths.workDir]) mkdirSync(d, { recursive: true });
      chmodSync(dir, 0o700);
      chmodSync(paths.mungeDir, 0o700);
      writeFileSync(paths.conf, slurmConf(layout));
      writeFileSync(paths.cgroupConf, cgroupConf(layout));
      writeFileSync(paths.mungeKey, randomBytes(1024), { mode: 0o400 });
      cluster = new LocalSlurm(layout, { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', SLURM_CONF: paths.conf });
      await cluster.startDaemons(options.rest ?? true);
    } catch (error) {
      const logs = cluster?.logTail() ?? '(none yet)';
      await (cluster ? cluster.stop() : removeCluster(dir, undefined)).catch(() => undefined);
      throw new Error(`${(error as Error).message}\n--- Slurm test cluster logs ---\n${logs}`, { cause: error });
    }
    return cluster;
  }

  private spawnDaemon(name: string, file: string, args: string[], extraEnv: Record<string, string> = {}): Daemon {
    const daemon = new Daemon(name, file, args, { env: { ...this.daemonEnv, ...extraEnv }, logFile: join(this.paths.logDir, `${name}.out`) });
    this.daemons.push(daemon);
    return daemon;
  }

  /** Waits for probe, failing at once (with the daemon's name) if the daemon exits meanwhile. */
  private async until(daemon: Daemon, probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    await waitForSlurm(
      async () => {
        if (daemon.exit) throw new Error(`${daemon.name} exited (${JSON.stringify(daemon.exit)}) before ${what}`);
        return probe();
      },
      what,
      timeoutMs,
      50,
    );
  }

  private async succeeds(file: string, args: string[]): Promise<boolean> {
    const result = await execa(file, args, { env: this.daemonEnv, reject: false, timeout: 15_000 });
    return result.exitCode === 0;
  }

  private async startDaemons(rest: boolean): Promise<void> {
    const p = this.paths;
    const munged = this.spawnDaemon('munged', 'munged', [
      '-F',
      '--force',
      `--key-file=${p.mungeKey}`,
      `--socket=${p.mungeSocket}`,
      `--pid-file=${join(p.runDir, 'munged.pid')}`,
      `--log-file=${join(p.logDir, 'munged.log')}`,
      `--seed-file=${join(p.mungeDir, 'munged.seed')}`,
    ]);
    await this.until(munged, () => this.succeeds('munge', ['-n', '-S', p.mungeSocket]), 'munged to answer on its socket');
    await this.startController();
    const slurmd = this.spawnDaemon('slurmd', 'slurmd', ['-D', '-f', p.conf, '-N', this.nodeName]);
    await this.until(
      slurmd,
      async () => {
        const r = await execa('sinfo', ['-h', '-N', '-o', '%T'], { env: this.daemonEnv, reject: false, timeout: 15_000 });
        return /^(idle|mixed|allocated)/m.test(r.stdout);
      },
      `node ${this.nodeName} to be idle`,
    );
    if (rest && (await this.succeeds('sh', ['-c', 'command -v slurmrestd']))) {
      // local auth = peer uid on a unix socket; slurmrestd refuses root unless told otherwise, and
      // without slurmdbd only the v0.0.38 plugin loads (the db plugin is fatal without it).
      const restd = this.spawnDaemon('slurmrestd', 'slurmrestd', ['-f', p.conf, '-a', 'rest_auth/local', '-s', 'openapi/v0.0.38', `unix:${p.restSocket}`], {
        SLURMRESTD_SECURITY: 'disable_user_check',
      });
      await this.until(restd, async () => existsSync(p.restSocket) && (await restStatus(p.restSocket, `${REST_API}/ping`).catch(() => 0)) === 200, 'slurmrestd to answer');
      this.restSocket = p.restSocket;
    }
  }

  /** Starts slurmctld (again): it recovers jobs from its state dir. Resolves once `scontrol ping` says UP. */
  async startController(): Promise<void> {
    if (this.ctld && !this.ctld.exit) throw new Error('slurmctld already runs');
    const ctld = this.spawnDaemon('slurmctld', 'slurmctld', ['-D', '-f', this.paths.conf]);
    this.ctld = ctld;
    await this.until(
      ctld,
      async () => {
        const r = await execa('scontrol', ['ping'], { env: this.daemonEnv, reject: false, timeout: 15_000 });
        return /is UP/.test(r.stdout);
      },
      'slurmctld to answer scontrol ping',
    );
  }

  /** Stops slurmctld (SIGTERM: it saves state and exits); jobs on the node keep running. */
  async stopController(): Promise<void> {
    await this.ctld?.stop();
  }

  /** The pid of a running daemon of the cluster (to measure it), undefined once it has exited. */
  daemonPid(name: 'munged' | 'slurmctld' | 'slurmd' | 'slurmrestd'): number | undefined {
    const daemon = [...this.daemons].reverse().find((d) => d.name === name);
    return daemon && !daemon.exit ? daemon.pid : undefined;
  }

  /** Last lines of every log of the cluster, for a failure message. */
  logTail(lines = 15): string {
    const out: string[] = [];
    let files: string[];
    try {
      files = readdirSync(this.paths.logDir);
    } catch {
      return '(no logs)';
    }
    for (const f of files) {
      const text = readFileSync(join(this.paths.logDir, f), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      if (text) out.push(`== ${f}\n${text}`);
    }
    return out.join('\n');
  }

  /**
   * Cancels every job and waits for the queue to drain while slurmd is still there to hear
   * from slurmstepd, stops the daemons, then kills whatever is left of the cluster's
   * processes, removes the node's cgroups and the dir. Throws if anything survives.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const env = this.daemonEnv;
    if (this.ctld && !this.ctld.exit) {
      await execa('scancel', ['--user=root'], { env, reject: false, timeout: 20_000 });
      await waitForSlurm(
        async () => {
          const r = await execa('squeue', ['-h', '-t', 'PD,R,CG,S,CF,ST', '-o', '%i'], { env, reject: false, timeout: 15_000 });
          return r.exitCode !== 0 || r.stdout.trim() === '';
        },
        'the test cluster queue to drain',
        30_000,
      ).catch(() => undefined); // the kill below is the safety net
    }
    for (const daemon of [...this.daemons].reverse()) await daemon.stop();
    await removeCluster(this.paths.dir, this.nodeName);
  }
}
