import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { operatorPath } from '../../../electron/engine/isolation/userEnvironment';
import { tempDir } from '../helpers';

const checkout = join(import.meta.dirname, '../../..');
const fixture = join(import.meta.dirname, '../fixtures/environmentEngine.ts');
const TOKEN = 'procdeck-test-token-5f0c1d';

interface JobOutput {
  state: string;
  reason?: string;
  text: string;
}
interface FixtureOutput {
  started: { npmNames: number; path: string; token?: string };
  engineUser: JobOutput;
  nobody: JobOutput;
}

/** The engine in a child process started by `npm exec` in the checkout: npm's variables, its PATH, INIT_CWD, as under `npm start`. */
async function runThroughNpm(env: NodeJS.ProcessEnv): Promise<FixtureOutput> {
  const dataDir = tempDir();
  try {
    const child = spawn('npm', ['exec', '--offline', '--', process.execPath, '--import', 'tsx', fixture, dataDir], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the engine under npm exited early (${code})`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));
    return JSON.parse(line) as FixtureOutput;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("jobs get the operator's environment, not Procdeck's", () => {
  it.runIf(process.getuid?.() === 0)('a job (as the engine user and as nobody) sees no token, no npm_*, no node_modules/.bin, and starts in the home directory', async () => {
    const path = process.env.PATH ?? '/usr/bin:/bin';
    const out = await runThroughNpm({ ...process.env, PROCDECK_TOKEN: TOKEN, NODE_OPTIONS: '--max-old-space-size=1024', HOME: homedir(), PATH: path });

    // The engine itself had all of it: the test is about what it passes on.
    expect(out.started.token).toBe(TOKEN);
    expect(out.started.npmNames).toBeGreaterThan(5);
    expect(out.started.path.split(':')).toContain(join(checkout, 'node_modules/.bin'));

    for (const who of ['engineUser', 'nobody'] as const) {
      const job = out[who];
      expect(job.state, `${who}: ${job.reason}`).toBe('exited');
      const lines = job.text.split('\n');
      expect(lines[0], who).toBe(`cwd=${homedir()}`);
      const names = lines.slice(1).map((l) => l.split('=')[0]!);
      expect(job.text, who).not.toContain(TOKEN);
      expect(names.filter((n) => /^(PROCDECK_|npm_|NPM_)/i.test(n) || ['INIT_CWD', 'NODE_OPTIONS', 'NODE', 'COLOR'].includes(n)), who).toEqual([]);
      const jobPath = lines.find((l) => l.startsWith('PATH='))!.slice('PATH='.length);
      expect(jobPath, who).not.toMatch(/node_modules\/\.bin|node-gyp-bin/);
      // Exactly the PATH npm was given, in its order.
      expect(jobPath, who).toBe(operatorPath(path));
    }
    expect(out.nobody.text).toContain('HOME=/nonexistent');
  });

  it('an engine started with no USER, LOGNAME or SHELL (a CI runner, a bare service) gives its jobs the ones of its account', async () => {
    const { USER: _user, LOGNAME: _logname, SHELL: _shell, ...started } = process.env;
    const out = await runThroughNpm({ ...started, HOME: homedir() });
    const account = userInfo();
    const lines = out.engineUser.text.split('\n');
    expect(out.engineUser.state, out.engineUser.reason).toBe('exited');
    expect(lines).toContain(`USER=${account.username}`);
    expect(lines).toContain(`LOGNAME=${account.username}`);
    expect(lines).toContain(`SHELL=${account.shell}`);
  });
});
