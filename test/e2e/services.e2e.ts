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

    // The Monitor tab shows the probe's last results, its state and its thresholds.
    await jobRow(app, name).click();
    const tab = app.getByRole('tablist', { name: 'Details' }).getByRole('tab', { name: 'Monitor', exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    const readiness = app.getByRole('region', { name: 'Readiness probe' });
    await expect(readiness.getByRole('heading')).toHaveText(`Readiness: GET ${url}`);
    await expect(readiness.getByRole('definition').filter({ hasText: 'every' })).toHaveText('every 100 ms, timeout 1 s, first after 0 ms');
    await expect(readiness.getByRole('definition').filter({ hasText: 'in a row,' })).toHaveText('ready after 1 success in a row, unhealthy (once it was ready) after 3 failures in a row');
    const results = readiness.getByRole('table', { name: 'Last readiness results, newest first' });
    const newest = results.getByRole('row').nth(1);
    await expect(newest.getByRole('cell').nth(1)).toHaveText('failed');
    await expect(newest.getByRole('cell').nth(3)).toHaveText('returned 503');
    await expect(readiness).toContainText(/starting since .* \(\d+ failures? in a row\)/);

    control.status = 200;
    await expect(state).toContainText('health: healthy');
    await expect(state.locator('.health-badge')).toHaveAttribute('title', new RegExp(`^readiness: GET ${url.replace(/[.]/g, '\\.')} returned 200 after `));
    await expect(app.getByRole('region', { name: 'Health' }).getByRole('heading', { level: 3 })).toHaveText('Health: healthy');
    await expect(newest.getByRole('cell').nth(1)).toHaveText('passed');
    await expect(newest.getByRole('cell').nth(3)).toHaveText('returned 200');
    // Ten results at most, newest first.
    await expect.poll(() => results.getByRole('row').count()).toBe(11);
    await expect(results.getByRole('row').nth(10).getByRole('cell').nth(3)).toHaveText(/returned (503|200)/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a scheduled job shows its next run in its row, and the time moves on with the ticks', async ({ app, host }) => {
  const name = uniqueName('tick');
  const path = join(mkdtempSync(join(tmpdir(), 'pdk-e2e-config-')), 'procdeck.yaml');
  // Every second; each run lives on, so the ticks meanwhile are skipped and only the next run time moves.
  writeFileSync(path, `jobs:\n  ${name}:\n    command: [sleep, "300"]\n    schedule: { cron: "* * * * * *", overlap: skip }\n`);
  const response = await fetch(`${host.origin}/api/v1/config.load`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ path }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const state = jobRow(app, name).getByRole('gridcell').nth(1);
  await expect(state).toContainText('running');
  const nextRun = state.locator('.state-next-run');
  await expect(nextRun).toHaveText(/^next run \d\d:\d\d:\d\d/);
  const first = await nextRun.textContent();
  await expect(nextRun).not.toHaveText(first!);
  await expect(nextRun).toHaveText(/^next run \d\d:\d\d:\d\d/);
});
