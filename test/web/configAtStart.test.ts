import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configArgument } from '../../electron/host/configArgument';
import { parseServeArgs } from '../../electron/web/cliArgs';
import { tempDir } from '../engine/helpers';
import { waitFor } from '../support/wait';
import { apiCall } from './apiHelpers';
import { TEST_TOKEN } from './helpers';
import { startHostChild, stopHostChildren } from './hostChild';

afterEach(stopHostChildren);

describe('--config at start', () => {
  it('browser mode loads the file: its autostart job runs in a directory relative to the file', async () => {
    const dir = realpathSync(tempDir('pdk-config-'));
    mkdirSync(join(dir, 'site'));
    const path = join(dir, 'procdeck.yaml');
    writeFileSync(path, 'jobs:\n  where:\n    command: "pwd; exec sleep 300"\n    cwd: ./site\n    autostart: true\n');
    const host = await startHostChild({ token: TEST_TOKEN, args: ['--config', path] });
    const job = await waitFor(async () => (await apiCall(host.port, 'jobs.list', {})).jobs.find((j) => j.declared?.name === 'where' && j.state === 'running'), 'the declared job running');
    expect(job.declared).toEqual({ file: path, name: 'where', autostart: true });
    const tail = await waitFor(async () => {
      const { chunks } = await apiCall(host.port, 'logs.tail', { jobId: job.id });
      const text = chunks.map((c) => c.text).join('');
      return text.includes('\n') ? text : undefined;
    }, 'the job printing its directory');
    expect(tail.trim()).toBe(join(dir, 'site'));
  });

  it('browser mode with a bad file starts with no job and prints every error at file:line:column', async () => {
    const dir = tempDir('pdk-config-');
    const path = join(dir, 'procdeck.yaml');
    writeFileSync(path, 'jobs:\n  web:\n    comand: sleep 1\n    autostart: yes please\n');
    const host = await startHostChild({ token: TEST_TOKEN, args: ['--config', path] });
    expect(host.stderr()).toContain(`${path}:3:5: jobs.web.comand: unknown key "comand" (did you mean "command"?)`);
    expect(host.stderr()).toMatch(new RegExp(`${path.replace(/\./g, '\\.')}:4:\\d+: jobs\\.web\\.autostart`));
    expect((await apiCall(host.port, 'jobs.list', {})).jobs).toEqual([]);
  });

  it('reads --config from the command line of either host, relative to where Procdeck started', () => {
    expect(parseServeArgs(['--config', 'svc/procdeck.yaml'], {})).toMatchObject({ kind: 'serve', options: { config: join(process.cwd(), 'svc/procdeck.yaml') } });
    expect(parseServeArgs(['--config', ''], {})).toEqual({ kind: 'error', message: '--config must name a file' });
    expect(configArgument(['/app', '--no-sandbox', '--config=a.yaml'], '/srv')).toBe('/srv/a.yaml');
    expect(configArgument(['/app', '--config', '/etc/p.yaml'], '/srv')).toBe('/etc/p.yaml');
    expect(configArgument(['/app'], '/srv')).toBeUndefined();
    expect(() => configArgument(['/app', '--config'], '/srv')).toThrow('--config must name a file');
  });
});
