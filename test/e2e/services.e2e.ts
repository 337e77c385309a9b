import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, jobRow, test, uniqueName } from './browserHost';

test('a config file loaded through the API: its service shows starting, then healthy, in the jobs table', async ({ app, host }) => {
  const control = { status: 503 };
  const server = createServer((_req, res) => res.writeHead(control.status).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const name = uniqueName('svc');
    const path = join(mkdtempSync(join(tmpdir(), 'pdk-e2e-config-')), 'procdeck.yaml');
    writeFileSync(path, `jobs:\n  ${name}:\n    command: [sleep, "300"]\n    autostart: true\n    readiness: { http: "${url}", interval: 100ms }\n`);
    const response = await fetch(`${host.origin}/api/v1/config.load`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ path }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const state = jobRow(app, name).getByRole('gridcell').nth(1);
    await expect(state).toContainText('running');
    await expect(state).toContainText('health: starting');
    control.status = 200;
    await expect(state).toContainText('health: healthy');
    await expect(state.locator('.health-badge')).toHaveAttribute('title', new RegExp(`^readiness: GET ${url.replace(/[.]/g, '\\.')} returned 200 after `));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
