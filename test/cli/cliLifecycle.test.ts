import { spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../shared/contract';
import { waitFor } from '../engine/helpers';
import { cli, cliOk, ensureBuilt, ROOT, scratchDir, startServe, stopServers } from './cliHelpers';

beforeAll(ensureBuilt, 120_000);
afterEach(stopServers);
afterAll(stopServers);

const notRunning = /^procdeck: Procdeck is not running on \S+ \(.+\); start it with `procdeck serve` \(browser mode\) or `npm start`\n$/;

describe('with nothing running', () => {
  it('says so in one line, with how to start it, and starts nothing', async () => {
    const base = scratchDir();
    const missing = await cli(['ls', '--data-dir', join(base, 'never-made')]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(notRunning);
    expect(missing.stderr).toContain('the directory does not exist');

    const empty = join(base, 'empty');
    mkdirSync(empty, { mode: 0o700 });
    for (const args of [['ls'], ['start', '--', 'true'], ['logs', '-f', 'x'], ['wait', 'x']]) {
      const run = await cli(['--data-dir', empty, ...args]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toMatch(notRunning);
    }
    // No engine was opened on it: no lock, no files at all.
    expect(readdirSync(empty)).toEqual([]);
  });

  it('tells a socket left by a host that was killed from a live one, and a new host replaces it', async () => {
    const host = await startServe();
    expect((await cliOk(['--data-dir', host.dataDir, 'ls'])).stdout).toBe('No jobs.\n');
    host.process.kill('SIGKILL');
    await host.exited;
    expect(lstatSync(host.socketPath).isSocket()).toBe(true);
    const stale = await cli(['--data-dir', host.dataDir, 'ls']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(notRunning);
    expect(stale.stderr).toContain('is left from a host that has exited');

    await startServe(host.dataDir);
    expect((await cliOk(['--data-dir', host.dataDir, 'ls', '--json'])).stdout).toBe(`${JSON.stringify({ jobs: [], queue: [] })}\n`);
  });
});

describe('usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['no verb', [], /Usage: procdeck/],
    ['an unknown verb', ['frobnicate'], /^procdeck: unknown command 'frobnicate'/],
    ['an unknown option', ['ls', '--colour'], /^procdeck: unknown option '--colour'/],
    ['a missing argument', ['stop'], /^procdeck: missing required argument 'name\|id'/],
    ['nothing to start', ['start'], /^procdeck: nothing to start: give -- PROGRAM ARGS… or --shell SCRIPT/],
    ['both a program and a script', ['start', '--shell', 'true', '--', 'true'], /^procdeck: give either --shell SCRIPT or -- PROGRAM ARGS…, not both/],
    ['an unknown signal', ['signal', 'SIGNOPE', 'x'], /unknown signal "SIGNOPE"; one of SIGHUP/],
    ['bad cores', ['start', '--cores', '0,one', '--', 'true'], /expected core numbers separated by commas/],
    ['a bad isolation level', ['start', '--isolation', 'strong', '--', 'true'], /Allowed choices are none, basic, enhanced, maximum/],
    ['a bad environment entry', ['start', '--env', 'NOEQUALS', '--', 'true'], /expected NAME=VALUE/],
    ['a bad line count', ['logs', 'x', '--lines', 'many'], /--lines is a whole number of at least 0, not "many"/],
    ['a bad run number', ['logs', 'x', '--run', '1.5'], /--run is a whole number of at least 1, not "1.5"/],
    ['a bad port for serve', ['serve', '--port', '99999'], /--port must be a number from 0 to 65535/],
    ['serve on a public address', ['serve', '--host', '0.0.0.0'], /not a loopback address/],
  ];
  it.each(cases)('%s exits 2 and says what is wrong', async (_what, args, message) => {
    // A data dir where nothing runs: a usage error must be reported before any connection is tried.
    const run = await cli(['--data-dir', join(scratchDir(), 'none'), ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('--version prints the package version and --help the verbs, both exit 0', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const verb of ['ls', 'status', 'start', 'stop', 'kill', 'restart', 'pause', 'resume', 'signal', 'logs', 'wait', 'serve']) expect(help.stdout).toMatch(new RegExp(`^ {2}${verb}\\b`, 'm'));
  });
});

describe('one engine per data directory', () => {
  it('refuses a second serve on a data directory in use; the first keeps serving', async () => {
    const first = await startServe();
    const second = await cli(['serve', '--port', '0', '--data-dir', first.dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/another Procdeck \(pid \d+\) is already using the data directory/);
    expect((await cliOk(['--data-dir', first.dataDir, 'ls'])).code).toBe(0);
  });

  it('the host makes the data directory 0700 and its socket 0600', async () => {
    const host = await startServe(join(scratchDir(), 'made-by-the-host'));
    expect(statSync(host.dataDir).mode & 0o777).toBe(0o700);
    expect(lstatSync(host.socketPath).mode & 0o777).toBe(0o600);
    expect(host.socketPath).toBe(join(host.dataDir, 'procdeck.sock'));
  });
});

describe('another user', () => {
  it('cannot reach the socket: the data directory and the socket are the operator’s alone', async () => {
    const host = await startServe();
    const run = await cli(['--data-dir', host.dataDir, 'ls'], { asUser: 'nobody' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^procdeck: cannot connect to \S+procdeck\.sock: permission denied/);
  });

  it('is refused by the uid check even where the file modes would let it connect, and changes nothing', async () => {
    const host = await startServe();
    // An operator who loosened the modes (or a umask gone wrong): the kernel would let nobody connect.
    chmodSync(host.dataDir, 0o711);
    chmodSync(host.socketPath, 0o666);
    for (const args of [['ls'], ['start', '--', 'touch', '/tmp/procdeck-nobody-was-here']]) {
      const run = await cli(['--data-dir', host.dataDir, ...args], { asUser: 'nobody', cwd: '/' });
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toMatch(/^procdeck: Procdeck on \S+ refused: uid 65534 is not the user running Procdeck\n$/);
    }
    await waitFor(() => (host.stderr().match(/refused a connection to \S+ from pid \d+: uid 65534/g) ?? []).length === 2, 'the host to report both refusals');
    chmodSync(host.dataDir, 0o700);
    chmodSync(host.socketPath, 0o600);
    expect(commands['jobs.list'].response.parse(JSON.parse((await cliOk(['--data-dir', host.dataDir, 'ls', '--json'])).stdout)).jobs).toEqual([]);
  });
});

describe('no build tool at run time', () => {
  it('procdeck serve is one plain node process running the build: no tsx, no esbuild, no npm', async () => {
    const host = await startServe();
    const tree = processTree(host.process.pid!);
    expect(tree.map((p) => p.comm)).toEqual(['node']);
    expect(tree[0]!.cmdline).toMatch(/bin\/procdeck\.js serve/);
    expect(tree.some((p) => /tsx|esbuild/.test(p.cmdline))).toBe(false);
  });

  it('npm start’s launcher (electron/bin/start.js) runs browser mode in the same one process', async () => {
    const dataDir = join(scratchDir(), 'data');
    const child = spawn(process.execPath, [join(ROOT, 'electron/bin/start.js'), '--browser', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => out.includes('reaches it through'), () => `the launcher's browser mode to be up (output: ${JSON.stringify(out)})`, 120_000);
      const tree = processTree(child.pid!);
      expect(tree.map((p) => p.comm)).toEqual(['node']);
      expect(tree.some((p) => /tsx|esbuild/.test(p.cmdline))).toBe(false);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});

interface ProcessInfo {
  pid: number;
  comm: string;
  cmdline: string;
}

/** `pid` and its descendants, from /proc. */
function processTree(pid: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        return [{ pid: Number(name), ppid, comm, cmdline }];
      } catch {
        return [];
      }
    });
  const tree: ProcessInfo[] = [];
  const visit = (parent: number) => {
    const self = all.find((p) => p.pid === parent);
    if (self) tree.push({ pid: self.pid, comm: self.comm, cmdline: self.cmdline });
    for (const child of all.filter((p) => p.ppid === parent)) visit(child.pid);
  };
  visit(pid);
  return tree;
}
