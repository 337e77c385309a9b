import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type LoopbackHttpServer } from '../engine/health/loopbackServers';
import { waitFor } from '../support/wait';
import { cli, cliOk, ensureBuilt, scratchDir, startServe, stopServers, type ServeChild } from './cliHelpers';

// apply FILE and wait --healthy against a real browser host child, through the package's bin.

let host: ServeChild;
let web: LoopbackHttpServer;
let dir: string;
const withDir = (args: string[]) => ['--data-dir', dir, ...args];

beforeAll(async () => {
  await ensureBuilt();
  const dataDir = join(scratchDir(), 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ maxConcurrent: 32 }));
  host = await startServe(dataDir);
  dir = host.dataDir;
  web = await startHttpServer((_req, res) => res.writeHead(200).end('ok'));
}, 180_000);
afterAll(async () => {
  await stopServers();
  await web.close();
});

describe('procdeck apply and wait --healthy', () => {
  it('shows the diff, refuses without --yes when stdin is no terminal, applies with --yes; wait --healthy returns once ready', async () => {
    const files = scratchDir();
    const path = join(files, 'procdeck.yaml');
    writeFileSync(path, `jobs:\n  svc:\n    command: [sleep, "300"]\n    autostart: true\n    readiness: { http: "${web.url}", interval: 100ms }\n`);
    const refused = await cli(withDir(['apply', 'procdeck.yaml']), { cwd: files });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe(`${path}:\n  + svc\n`);
    expect(refused.stderr).toContain('add --yes');

    const applied = await cliOk(withDir(['apply', path, '--yes']));
    expect(applied.stdout).toContain(`Applied ${path}: started svc.`);
    const healthy = await cliOk(withDir(['wait', 'svc', '--healthy']));
    expect(healthy.stdout).toMatch(new RegExp(`^svc \\(id \\S+\\) is healthy: readiness: GET ${web.url.replace(/[.]/g, '\\.')} returned 200 after `));

    writeFileSync(path, `jobs:\n  svc:\n    command: [sleep, "301"]\n    autostart: true\n`);
    const changed = await cliOk(withDir(['apply', path, '--yes']));
    expect(changed.stdout).toBe(`${path}:\n  ~ svc: command, readiness (restarts if running)\nApplied ${path}: restarted svc.\n`);
    const same = await cliOk(withDir(['apply', path]));
    expect(same.stdout).toBe(`${path}: nothing to change\n`);
  });

  it('ls and status say why a job waits ("waiting for db to be healthy"), and stop once it runs', async () => {
    const files = scratchDir();
    const path = join(files, 'waits.yaml');
    writeFileSync(
      path,
      `jobs:\n  db:\n    command: [sleep, "300"]\n    autostart: true\n    readiness: { exec: "test -e ${files}/ready", interval: 100ms }\n  api:\n    command: [sleep, "300"]\n    autostart: true\n    dependsOn: { db: healthy }\n`,
    );
    await cliOk(withDir(['apply', path, '--yes']));
    const row = await waitFor(async () => (await cliOk(withDir(['ls']))).stdout.split('\n').find((line) => /\bapi\b.*waiting for db/.test(line)), 'the api row to say why it waits');
    expect(row).toMatch(/queued #\d+ \(waiting for db to be healthy\)/);
    const status = (await cliOk(withDir(['status', 'api']))).stdout;
    expect(status).toMatch(/^ {2}waiting {4}waiting for db to be healthy$/m);
    const json = JSON.parse((await cliOk(withDir(['status', 'api', '--json']))).stdout);
    expect(json.wait).toMatchObject({ kind: 'dependency', name: 'db', condition: 'healthy' });
    writeFileSync(join(files, 'ready'), '');
    await cliOk(withDir(['wait', 'db', '--healthy']));
    const running = await waitFor(async () => {
      const text = (await cliOk(withDir(['status', 'api']))).stdout;
      return /state +running/.test(text) ? text : undefined;
    }, 'api to run');
    expect(running).not.toContain('waiting');
  });

  it('a bad file: every error at file:line:column, exit 1, nothing applied', async () => {
    const files = scratchDir();
    const path = join(files, 'bad.yaml');
    writeFileSync(path, 'jobs:\n  x:\n    command: [sleep, "1"]\n    restart: sometimes\n');
    const run = await cli(withDir(['apply', path, '--yes']));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path}:4:14: jobs.x.restart`);
  });
});
