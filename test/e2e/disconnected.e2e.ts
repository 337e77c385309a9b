import { rmSync } from 'node:fs';
import { expect, jobRow, startBrowserHost, test, uniqueName } from './browserHost';
import { hostCall } from './hostApi';

test('while the host is out of reach, rows read "unknown" and nothing can be sent', async ({ page }) => {
  const { host, process: server } = await startBrowserHost();
  try {
    const running = uniqueName('running');
    const finished = uniqueName('finished');
    await hostCall(host, 'jobs.start', { spec: { name: running, command: { kind: 'shell', script: 'sleep 300' } } });
    await hostCall(host, 'jobs.start', { spec: { name: finished, command: { kind: 'shell', script: 'true' } } });
    await page.goto(host.url);
    await expect(jobRow(page, running).getByRole('gridcell').nth(1)).toContainText('running');
    await expect(jobRow(page, finished).getByRole('gridcell').nth(1)).toContainText('exited (0)');
    await jobRow(page, running).click();

    // The host goes away (it stops its jobs on the way out, so none is left behind).
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    await expect(page.getByRole('status').filter({ hasText: /Disconnected|Connecting/ }).first()).toBeVisible();

    for (const name of [running, finished]) {
      const row = jobRow(page, name);
      await expect(row.getByRole('gridcell').nth(1)).toHaveText('unknown');
      await expect(row.getByRole('gridcell').nth(1)).toHaveAttribute('title', /Not connected to the host/);
      for (const button of await row.getByRole('button').all()) await expect(button).toBeDisabled();
    }
    await expect(page.getByRole('button', { name: 'Clear finished' })).toBeDisabled();
    // Keys do nothing either: the Kill dialog does not open for a job whose state is not known.
    await page.keyboard.press('k');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    rmSync(host.dataDir, { recursive: true, force: true });
  }
});
