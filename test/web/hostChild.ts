import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../support/wait';

const root = resolve(import.meta.dirname, '../..');
export const SERVE_CLI = join(root, 'electron/web/cli.ts');

export interface HostChild {
  process: ChildProcess;
  pid: number;
  port: number;
  origin: string;
  dataDir: string;
  /** Everything the child printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the child is gone. */
  exited: Promise<number | string>;
  /** SIGTERM, and wait for it to go (it stops its jobs first). */
  stop(): Promise<void>;
}

const children: HostChild[] = [];
const dirs: string[] = [];

export interface HostChildOptions {
  /** The module to run (default: the `npm run serve` entry). */
  entry?: string;
  token?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** An existing data dir (default: a fresh one, mode 0700). */
  dataDir?: string;
  stdin?: 'pipe' | 'ignore';
  /** More node options, after tsx's (e.g. another --import). */
  nodeArgs?: string[];
}

/** A fresh data dir as the engine makes it: 0700, inside a directory anyone may enter (so its own mode is the barrier). */
export function freshDataDir(): string {
  const base = mkdtempSync(join(tmpdir(), 'procdeck-host-'));
  chmodSync(base, 0o755);
  dirs.push(base);
  const dataDir = join(base, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  return dataDir;
}

/** Starts a real browser host process on a free loopback port and waits for its announcement. */
export async function startHostChild(options: HostChildOptions = {}): Promise<HostChild> {
  const dataDir = options.dataDir ?? freshDataDir();
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), options.entry ?? SERVE_CLI, '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, ...(options.token ? { PROCDECK_TOKEN: options.token } : {}), ...options.env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<number | string>((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown')));
  let gone = false;
  void exited.then(() => (gone = true));
  const origin = await waitFor(
    () => {
      if (gone) throw new Error(`the browser host exited before announcing itself:\n${out}\n${err}`);
      return /browser mode\) at (http:\/\/[^/\s]+)/.exec(out)?.[1];
    },
    () => `the browser host's announcement (stdout so far: ${JSON.stringify(out)}, stderr: ${JSON.stringify(err)})`,
    60_000,
  );
  const host: HostChild = {
    process: child,
    pid: child.pid!,
    port: Number(new URL(origin).port),
    origin,
    dataDir,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
  children.push(host);
  return host;
}

/** For afterEach/afterAll: every child stopped, every data dir removed. */
export async function stopHostChildren(): Promise<void> {
  await Promise.all(children.splice(0).map((child) => child.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
