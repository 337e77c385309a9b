import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';

const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

/** Live processes whose command line contains `token`. */
function processesWith(token: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(token) && stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('a stopping job says how it is tracked and what is still alive, and Kill ends it', async ({ app }) => {
  const name = uniqueName('escapee');
  // A sleep duration no other process has: the test finds it in /proc by it.
  const token = `${1000 + process.pid}.${Date.now() % 100_000}7`;
  // It leaves the job's session and ignores SIGTERM: Stop leaves it for the grace period (5 s).
  await launch(app, `setsid sh -c "trap '' TERM; exec sleep ${token}" & wait`, name);
  const row = jobRow(app, name);
  await expect(stateOf(app, name)).toContainText('running');
  await expect.poll(() => processesWith(token).length).toBeGreaterThanOrEqual(2);
  await row.click();
  await app.getByRole('tab', { name: 'Limits', exact: true }).click();
  const tracking = app.getByRole('region', { name: 'Process tracking' });
  await expect(tracking).toContainText(/Tracked by (cgroup v[12]|environment marker)/);

  await row.getByRole('button', { name: 'Stop' }).click();
  await expect(stateOf(app, name)).toContainText('stopping');
  await expect(tracking.getByRole('list', { name: 'Processes still alive' })).toContainText(`sleep ${token}`);

  await row.getByRole('button', { name: 'Kill' }).click();
  await app.getByRole('alertdialog').getByRole('button', { name: 'Confirm kill' }).click();
  await expect(stateOf(app, name)).toContainText('killed');
  await expect(tracking.getByRole('status', { name: 'Still alive' })).toHaveCount(0);
  expect(processesWith(token)).toEqual([]);
});
