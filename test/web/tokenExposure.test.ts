import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { generateToken } from '../../electron/web/auth';
import { announcement, browserUrlFile } from '../../electron/web/browserUrlFile';
import { waitFor } from '../support/wait';
import { rawRequest, TestClient } from './helpers';
import { SERVE_CLI, startHostChild, stopHostChildren } from './hostChild';

const cleanups: (() => void)[] = [];
afterEach(async () => {
  await stopHostChildren();
  // Last registered first: a process is killed before the directory naming it is removed.
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe('where the browser host listens', () => {
  it('refuses --host 0.0.0.0 with the reason and the way out, and starts nothing', async () => {
    const refused = spawnSync(process.execPath, ['--import', 'tsx', SERVE_CLI, '--host', '0.0.0.0', '--port', '0', '--data-dir', scratch('procdeck-refused-')], { encoding: 'utf8', timeout: 60_000 });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--host 0.0.0.0 is not a loopback address: the browser host speaks plain HTTP');
    expect(refused.stderr).toContain('pass --expose-unencrypted to bind it anyway');
    expect(refused.stdout).toBe('');
  });

  it('with --expose-unencrypted binds it, and warns that the token can be read off the network', async () => {
    const host = await startHostChild({ token: generateToken(), args: ['--host', '0.0.0.0', '--expose-unencrypted'] });
    expect(host.stderr()).toContain('WARNING: listening on 0.0.0.0 over plain HTTP (--expose-unencrypted): anyone on the network path can read the access token');
  });
});

describe('where the browser host puts its URL', () => {
  it('prints the token only to a terminal; a pipe gets the address and the path of a 0600 file holding the URL', async () => {
    expect(announcement('http://127.0.0.1:1', 'http://127.0.0.1:1/?token=t', '/d/browser-url', true)).toBe('Procdeck (browser mode) at http://127.0.0.1:1/?token=t');
    const token = generateToken();
    const host = await startHostChild({ token });
    // The child's stdout is a pipe, as with `npm start | tee log`.
    expect(host.stdout()).not.toContain(token);
    const file = browserUrlFile(host.dataDir);
    expect(host.stdout()).toContain(`Procdeck (browser mode) at ${host.origin}/ (the URL with its access token is in ${file}, readable only by you)`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(host.dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe(`${host.origin}/?token=${token}\n`);
    expect(host.stderr()).not.toContain(token);
  });

  it('keeps PROCDECK_TOKEN out of what its jobs inherit, and out of every answer but the cookie', async () => {
    const token = generateToken();
    const host = await startHostChild({ token });
    const client = await TestClient.connect(host.port, { token });
    const started = await client.invoke('jobs.start', { spec: { command: { kind: 'argv', program: 'env' } } });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.job.id;
    await client.waitForEvent('jobs.changed', ({ jobs }) => jobs.some((j) => j.id === jobId && j.state === 'exited'));
    const tail = await client.invoke('logs.tail', { jobId });
    if (!tail.ok) throw new Error(tail.error.message);
    const environment = tail.value.chunks.map((c) => c.text).join('');
    expect(environment).toContain('PATH=');
    expect(environment).not.toContain('PROCDECK_TOKEN');
    expect(environment).not.toContain(token);
    client.close();
    // Refusals and error pages say what is wrong without echoing any secret.
    for (const path of ['/', `/?token=${'0'.repeat(32)}`, `/?login=${'0'.repeat(32)}`, '//', '/%']) {
      const response = await rawRequest(host.port, path);
      expect(JSON.stringify(response), path).not.toContain(token);
    }
  });
});

// Another user must not get a working token by any way found: the URL file, the host's
// environment and command line (and its parent's), a browser's command line, or no token.
describe.runIf(process.getuid?.() === 0)('a process of another user (nobody) looking for the token', () => {
  it('finds nothing that works: every attempt to start a job is refused', async () => {
    // A stand-in for the system browser: stays running with the URL it was opened on in its
    // command line, as a real browser does, and does not open it (the thief goes first).
    const bin = scratch('procdeck-browser-');
    const browserPid = join(bin, 'browser.pid');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho $$ > ${browserPid}\nsleep 100000\n`, { mode: 0o755 });
    cleanups.push(() => {
      if (!existsSync(browserPid)) return;
      try {
        process.kill(-Number(readFileSync(browserPid, 'utf8')), 'SIGKILL');
      } catch {
        // already gone
      }
    });
    const token = generateToken();
    const host = await startHostChild({
      entry: join(import.meta.dirname, 'fixtures/launchedHost.ts'),
      token,
      env: { PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':99' },
    });
    const urlFile = browserUrlFile(host.dataDir);
    expect(statSync(urlFile).mode & 0o777).toBe(0o600);
    const browserCmdline = await waitFor(() => {
      if (!existsSync(browserPid)) return undefined;
      const text = readFileSync(`/proc/${readFileSync(browserPid, 'utf8').trim()}/cmdline`, 'latin1');
      return text.includes('login=') ? text : undefined;
    }, 'the system browser to be opened on a login URL');
    expect(browserCmdline).not.toContain(token);

    // The thief, bundled into one file nobody can read (the checkout may not be readable).
    const dir = scratch('procdeck-thief-');
    const bundle = join(dir, 'tokenThief.cjs');
    buildSync({
      entryPoints: [join(import.meta.dirname, 'fixtures/tokenThief.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      external: ['bufferutil', 'utf-8-validate'],
      logLevel: 'silent',
    });
    chmodSync(bundle, 0o644);
    const thief = spawn(process.execPath, [bundle, JSON.stringify({ port: host.port, hostPid: host.pid, dataDir: host.dataDir, urlFile })], {
      cwd: dir,
      uid: 65534,
      gid: 65534,
      env: { PATH: '/usr/bin:/bin' },
    });
    let out = '';
    let err = '';
    thief.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    thief.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    const code = await new Promise((resolve) => thief.once('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      uid: number;
      sources: { source: string; readable: boolean; error?: string }[];
      tokens: string[];
      loginCodes: string[];
      attempts: { via: string; secret: string; outcome: string; startedJob: boolean }[];
    };
    console.log(`[attacks] ${JSON.stringify({ sources: report.sources, attempts: report.attempts.map(({ via, outcome }) => ({ via, outcome })) })}`);
    expect(report.uid).toBe(65534);
    const source = (name: string) => report.sources.find((s) => s.source === name);
    expect(source('url file')).toEqual({ source: 'url file', readable: false, error: 'EACCES' });
    expect(source('data dir listing')).toMatchObject({ readable: false, error: 'EACCES' });
    expect(source('host environ')).toMatchObject({ readable: false, error: 'EACCES' });
    expect(source('parent environ')).toMatchObject({ readable: false, error: 'EACCES' });
    // Command lines are world-readable: they must simply hold nothing that works.
    expect(source('host cmdline')).toMatchObject({ readable: true });
    expect(source('parent cmdline')).toMatchObject({ readable: true });
    expect(report.tokens).not.toContain(token);
    // It did find the browser's login code, while still unused, and could not use it.
    const code0 = new URL(browserCmdline.split('\0').find((arg) => arg.includes('login='))!).searchParams.get('login')!;
    expect(report.loginCodes).toContain(code0);
    expect(report.attempts.find((a) => a.via === 'login code' && a.secret === code0)).toMatchObject({ outcome: 'login refused 401', startedJob: false });
    expect(report.attempts.find((a) => a.via === 'no token at all')).toMatchObject({ outcome: 'upgrade refused 401' });
    expect(report.attempts.find((a) => a.via === 'page without the token')).toMatchObject({ outcome: 'GET / → 401' });
    expect(report.attempts.filter((a) => a.startedJob)).toEqual([]);

    // The code was good all along: the operator's own browser (this user) can still use it, once.
    const login = await rawRequest(host.port, `/?login=${code0}`);
    expect(login).toMatchObject({ status: 303, headers: { location: '/' } });
    expect(String(login.headers['set-cookie'])).toContain(token);
    expect((await rawRequest(host.port, `/?login=${code0}`)).status).toBe(401);
  }, 120_000);
});
