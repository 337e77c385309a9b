import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureFreshBuild } from '../../electron/bin/buildFreshness.js';
import { waitFor } from '../support/wait';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The package's bin, exactly as `npx procdeck` runs it. */
export const BIN = join(ROOT, 'electron/bin/procdeck.js');

/**
 * For beforeAll: the bin builds what is stale before it runs, and says so on stderr; built
 * here first, no test's output carries that (the build lock makes parallel files wait for one build).
 */
export const ensureBuilt = () => ensureFreshBuild(ROOT, ['node', 'renderer'], () => undefined);

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (setpriv, no supplementary groups). */
  asUser?: 'nobody';
}

/** The environment a CLI gets: the test's, without a data directory of its own unless the test names one. */
function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { PROCDECK_DATA_DIR: _inherited, ...env } = process.env;
  return { ...env, ...extra };
}

export interface RunningCli {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliRun>;
}

let readableBuild: string | undefined;
/**
 * The built CLI where another user can read it. The checkout may sit in a folder only its
 * owner can enter (CI's fresh clone is in a 0700 temp dir), and the bin also reads the sources
 * to check the build is fresh: another user runs the build itself, copied world-readable.
 */
function cliForOtherUsers(): string {
  // Scratch dirs go after each test: made again when gone.
  if (readableBuild === undefined || !existsSync(readableBuild)) {
    const dir = scratchDir('procdeck-cli-build-');
    cpSync(join(ROOT, 'dist/node'), join(dir, 'node'), { recursive: true });
    readableBuild = join(dir, 'node/procdeck.js');
  }
  return readableBuild;
}

/** Starts `procdeck ARGS…` and records what it prints. */
export function spawnCli(args: string[], options: CliOptions = {}): RunningCli {
  const command = options.asUser ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, cliForOtherUsers(), ...args] : [process.execPath, BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd ?? ROOT, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (err += text));
  const done = new Promise<CliRun>((resolveRun) => child.once('close', (code, signal) => resolveRun({ code, signal, stdout: out, stderr: err })));
  return { process: child, stdout: () => out, stderr: () => err, done };
}

/** Runs `procdeck ARGS…` to its end. */
export const cli = (args: string[], options: CliOptions = {}) => spawnCli(args, options).done;

/** Runs it and insists on exit 0, showing what it said otherwise. */
export async function cliOk(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const run = await cli(args, options);
  if (run.code !== 0) throw new Error(`procdeck ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return run;
}

export interface ServeChild {
  process: ChildProcess;
  dataDir: string;
  socketPath: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

const servers: ServeChild[] = [];
const dirs: string[] = [];

/** A directory anyone may enter, removed after the file's tests. */
export function scratchDir(prefix = 'procdeck-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

/** `procdeck serve` (browser mode from the build, with plain node) on a free port, once it says where the CLI reaches it. */
export async function startServe(dataDir = join(scratchDir(), 'data'), extraArgs: string[] = []): Promise<ServeChild> {
  const run = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, ...extraArgs]);
  let gone = false;
  const exited = run.done.then(({ code, signal }) => {
    gone = true;
    return code ?? signal ?? 'unknown';
  });
  const socketPath = await waitFor(
    () => {
      if (gone) throw new Error(`procdeck serve exited before it was ready:\n${run.stdout()}\n${run.stderr()}`);
      return /reaches it through (\S+)/.exec(run.stdout())?.[1];
    },
    () => `procdeck serve to announce its socket (stdout: ${JSON.stringify(run.stdout())}, stderr: ${JSON.stringify(run.stderr())})`,
    120_000,
  );
  const server: ServeChild = {
    process: run.process,
    dataDir,
    socketPath,
    stdout: run.stdout,
    stderr: run.stderr,
    exited,
    async stop() {
      if (!gone) run.process.kill('SIGTERM');
      await exited;
    },
  };
  servers.push(server);
  return server;
}

export async function stopServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
