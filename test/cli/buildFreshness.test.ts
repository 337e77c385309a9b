import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cliHelpers';

// The bin on a checkout of its own (a copy of the sources, the real node_modules), so that
// making its sources newer than its build never touches the build the other tests run.

let checkout: string;
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), 'procdeck-checkout-'));
  for (const entry of ['electron', 'shared', 'vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json']) cpSync(join(ROOT, entry), join(checkout, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

const run = (args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(checkout, 'electron/bin/procdeck.js'), ...args], { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });

const BUILT = 'dist/node/procdeck.js';
const builtAt = () => statSync(join(checkout, BUILT)).mtimeMs;

/** Gives a source the modification time a `git pull` or an edit would: now, after the build's. */
function touchAfterBuild(relative: string): void {
  const now = new Date();
  expect(now.getTime()).toBeGreaterThan(builtAt());
  utimesSync(join(checkout, relative), now, now);
}

describe('the procdeck bin on a checkout', () => {
  it('builds the server and CLI when there is no build, then runs it with plain node', async () => {
    expect(existsSync(join(checkout, 'dist'))).toBe(false);
    const first = await run(['--version']);
    expect(first).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(first.stderr).toMatch(/^procdeck: building the server and CLI \(dist\/node\/procdeck\.js is missing\)…\nprocdeck: built the server and CLI in [\d.]+ s\n$/);
    expect(existsSync(join(checkout, BUILT))).toBe(true);
  }, 120_000);

  it('does not rebuild while the build is current', async () => {
    const before = builtAt();
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(builtAt()).toBe(before);
  });

  it('rebuilds once a source is newer than the build', async () => {
    touchAfterBuild('electron/engine/engine.ts');
    const before = builtAt();
    const rebuilt = await run(['--version']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toContain('procdeck: building the server and CLI (electron/engine/engine.ts is newer than the build)');
    expect(builtAt()).toBeGreaterThan(before);
    expect((await run(['--version'])).stderr).toBe('');
  }, 120_000);

  it('builds once when several start at once on a stale build', async () => {
    touchAfterBuild('shared/contract.ts');
    const runs = await Promise.all([run(['--version']), run(['--version']), run(['--version'])]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs.map((r) => r.stdout)).toEqual([`${version}\n`, `${version}\n`, `${version}\n`]);
    expect(runs.filter((r) => r.stderr.includes('building the server and CLI')).length).toBe(1);
    expect(existsSync(join(checkout, 'dist/.build-lock'))).toBe(false);
  }, 120_000);

  it('refuses to run a stale build when the rebuild fails, and says why', async () => {
    appendFileSync(join(checkout, 'electron/cli/program.ts'), '\nthis is not TypeScript(\n');
    const broken = await run(['--version']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/procdeck: the build failed \(vite build --mode node\)/);
    expect(broken.stderr).toContain('electron/cli/program.ts');
  }, 120_000);
});
