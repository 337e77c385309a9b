import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, jobRow, test } from './browserHost';
import { SAMPLE_MS, within } from './deadlines';
import { hostCall } from './hostApi';

/**
 * Screenshots of the main views at both sizes the UI must work at, for a reviewer who does
 * not run it: `npm run screenshots` refreshes test/e2e/screenshots/*.png (committed). Not a
 * test of its own: it checks only that each view it shoots is there.
 */
const OUT = join(import.meta.dirname, 'screenshots');
const SIZES = [
  { width: 1400, height: 900 },
  { width: 1024, height: 700 },
] as const;
const DETAIL_TABS = ['Charts', 'Monitor', 'CPU', 'Batches', 'Groups', 'Limits'] as const;

const WEB = `i=0; while :; do i=$((i+1)); echo "GET /api/items/$i 200 $((i % 7 + 3)) ms"; [ $((i % 5)) -eq 0 ] && echo "slow query: $i" >&2; sleep 0.4; done`;

async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize()!;
  // Let the last state change and sample land before the picture.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: join(OUT, `${name}-${width}x${height}.png`) });
}

test.describe.configure({ mode: 'serial' });

test('screenshots of the main views at 1400×900 and 1024×700', async ({ app, host }) => {
  test.setTimeout(300_000);
  mkdirSync(OUT, { recursive: true });
  await app.getByRole('list', { name: 'Notices' }).getByRole('button', { name: 'Dismiss' }).click().catch(() => undefined);

  await hostCall(host, 'jobs.start', { spec: { name: 'web-api', command: { kind: 'shell', script: WEB }, alerts: [{ id: 'mem', kind: 'memory', bytes: 1500 * 1024 * 1024, action: 'stop' }] } });
  await hostCall(host, 'jobs.start', { spec: { name: 'worker', command: { kind: 'shell', script: 'while :; do : ; done' }, isolation: { level: 'basic' } } });
  await hostCall(host, 'jobs.start', { spec: { name: 'nightly-report', command: { kind: 'shell', script: 'echo report written; exit 0' } } });
  await hostCall(host, 'jobs.start', { spec: { name: 'migrate', command: { kind: 'shell', script: 'pyhton3 manage.py migrate' } } });
  await hostCall(host, 'batches.submit', { name: 'thumbnails', lines: Array.from({ length: 12 }, (_, i) => `sleep 0.${i % 4 + 1}; echo thumb-${i}`).join('\n'), limit: 3 });
  await expect(jobRow(app, 'migrate').getByRole('gridcell').nth(1)).toContainText('exited (127)');
  await expect(jobRow(app, 'web-api').getByRole('gridcell').nth(1)).toContainText('running');

  for (const size of SIZES) {
    await app.setViewportSize(size);
    await app.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: 'Jobs' }).click();
    await jobRow(app, 'web-api').getByRole('gridcell').first().click();
    await expect(app.getByRole('region', { name: 'Log' })).toContainText('GET /api/items');
    await expect.poll(async () => Number(await app.getByRole('region', { name: 'Charts' }).getByLabel('CPU chart').getAttribute('data-points')), within(3 * SAMPLE_MS)).toBeGreaterThanOrEqual(3);
    for (const tab of DETAIL_TABS) {
      await app.getByRole('tablist', { name: 'Details' }).getByRole('tab', { name: tab, exact: true }).click();
      if (tab === 'Monitor') await expect(app.getByRole('table', { name: 'Process tree' })).toBeVisible(within(SAMPLE_MS));
      await shoot(app, tab === 'Charts' ? 'jobs' : `jobs-tab-${tab.toLowerCase()}`);
    }
    await app.getByRole('tablist', { name: 'Details' }).getByRole('tab', { name: 'Charts', exact: true }).click();

    // Several jobs selected: the bulk bar.
    await jobRow(app, 'nightly-report').getByRole('gridcell').first().click();
    await jobRow(app, 'migrate').getByRole('gridcell').first().click({ modifiers: ['Shift'] });
    await shoot(app, 'jobs-bulk-selection');
    await jobRow(app, 'web-api').getByRole('gridcell').first().click();

    if (size.width < 1200) {
      await app.getByRole('button', { name: 'New job', exact: true }).click();
      await shoot(app, 'jobs-launch-form');
      await app.keyboard.press('Escape');
      await jobRow(app, 'web-api').getByRole('button', { name: 'Actions' }).click();
      await shoot(app, 'jobs-row-menu');
      await app.keyboard.press('Escape');
    } else {
      await app.getByLabel('Command').fill('pyhton3 app.py');
      await app.getByRole('button', { name: 'Start', exact: true }).click();
      await expect(app.getByRole('form', { name: 'New job' }).getByRole('alert')).toBeVisible();
      await shoot(app, 'jobs-typo-warning');
      await app.getByLabel('Command').fill('');
    }

    await app.getByRole('button', { name: 'Help', exact: true }).click();
    await shoot(app, 'dialog-help');
    await app.keyboard.press('Escape');
    await jobRow(app, 'worker').getByRole('gridcell').first().click();
    await app.keyboard.press('k');
    await expect(app.getByRole('alertdialog')).toBeVisible();
    await shoot(app, 'dialog-kill');
    await app.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();

    await app.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(app.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    await shoot(app, 'dialog-settings');
    await app.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Cancel' }).click();

    await app.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: 'System' }).click();
    await expect(app.getByRole('grid', { name: 'Processes' }).getByRole('row').nth(5)).toBeVisible(within(SAMPLE_MS));
    await expect.poll(async () => Number(await app.getByRole('figure', { name: 'Per-core usage chart' }).getAttribute('data-points')), within(3 * SAMPLE_MS)).toBeGreaterThanOrEqual(3);
    await shoot(app, 'system');
  }
  await app.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: 'Jobs' }).click();
});
