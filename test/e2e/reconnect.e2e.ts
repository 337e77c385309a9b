import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { jobRow, launch, uniqueName } from './browserHost';
import { test } from './restartableHost';

const status = (page: Page) => page.getByRole('status').filter({ hasText: /Connected|Disconnected|Connecting|Access token/ });
const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

test('an open tab reconnects by itself after a real restart with the stored token, and offers no action while the host is away', async ({ page, restartable }) => {
  await page.goto(restartable.first.url);
  await expect(status(page)).toHaveText('Connected');
  const name = uniqueName('before-restart');
  await launch(page, 'echo up; sleep 300', name);
  await expect(stateOf(page, name)).toContainText('running');
  const row = jobRow(page, name);
  await expect(row.getByRole('button', { name: 'Stop' })).toBeEnabled();

  await restartable.stop();
  await expect(status(page)).toHaveText('Disconnected, retrying');
  // Its state is unknown here (the host may have stopped it): not "running", and nothing may be done to it.
  await expect(stateOf(page, name)).toHaveText('unknown');
  await expect(stateOf(page, name)).toHaveAttribute('title', 'Not connected to the host: the last state it reported was running');
  await expect(row.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await expect(row.getByRole('button', { name: 'Kill' })).toBeDisabled();

  const second = await restartable.restart();
  expect(second.token).toBe(restartable.first.token);
  await expect(status(page)).toHaveText('Connected');
  // Reloaded from the host: the job was stopped with the host that ran it.
  await expect(stateOf(page, name)).toContainText('stopped');
  const after = uniqueName('after-restart');
  await launch(page, 'echo back; sleep 300', after);
  await expect(stateOf(page, after)).toContainText('running');
  await expect(jobRow(page, after).getByRole('button', { name: 'Stop' })).toBeEnabled();
});

test('rotating the token in Settings reloads this tab on the new URL; another browser holding the old one is told it needs the new URL', async ({ browser, restartable }) => {
  const [mine, elsewhere] = [await browser.newContext(), await browser.newContext()];
  const [here, sameBrowser, otherBrowser] = [await mine.newPage(), await mine.newPage(), await elsewhere.newPage()];
  for (const page of [here, sameBrowser, otherBrowser]) {
    await page.goto(restartable.first.url);
    await expect(status(page)).toHaveText('Connected');
  }
  await here.getByRole('button', { name: 'Settings' }).click();
  const settings = here.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('button', { name: 'Rotate access token…' }).click();
  const reloaded = here.waitForEvent('load');
  await settings.getByRole('button', { name: 'Rotate now' }).click();
  await reloaded;
  await expect(status(here)).toHaveText('Connected');
  const fresh = readFileSync(join(restartable.first.dataDir, 'browser-url'), 'utf8').trim();
  expect(new URL(fresh).searchParams.get('token')).not.toBe(restartable.first.token);

  // Another browser has only the old token: disconnected, told why and where the new URL is, and refused on reload.
  await expect(status(otherBrowser)).toContainText('Access token no longer valid');
  await expect(status(otherBrowser)).toContainText(`${restartable.first.dataDir}/browser-url`);
  await otherBrowser.reload();
  await expect(otherBrowser.locator('body')).toContainText('a valid access token is required');
  await otherBrowser.goto(fresh);
  await expect(status(otherBrowser)).toHaveText('Connected');
  // A tab of the same browser shares the cookie this tab just renewed: it gets back in by itself.
  await expect(status(sameBrowser)).toHaveText('Connected');
  await mine.close();
  await elsewhere.close();
});

test('the Monitor tab of a job that ran before a restart says so, and when it ran, instead of "not started yet"', async ({ page, restartable }) => {
  await page.goto(restartable.first.url);
  await expect(status(page)).toHaveText('Connected');
  const [done, cut] = [uniqueName('ended-before'), uniqueName('running-at-restart')];
  await launch(page, 'echo finished', done);
  await expect(stateOf(page, done)).toContainText('exited (0)');
  await launch(page, 'sleep 300', cut);
  await expect(stateOf(page, cut)).toContainText('running');

  await restartable.restart();
  await expect(status(page)).toHaveText('Connected');
  await expect(stateOf(page, cut)).toContainText('stopped');
  const tab = page.getByRole('tablist', { name: 'Details' }).getByRole('tab', { name: 'Monitor', exact: true });
  for (const [name, ended] of [[done, 'exited (0)'], [cut, 'stopped']] as const) {
    await jobRow(page, name).click();
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    const monitor = page.getByRole('region', { name: 'Monitor' });
    await expect(monitor).toContainText('before Procdeck restarted');
    await expect(monitor).toContainText(`and ended: ${ended}.`);
    await expect(monitor).not.toContainText('has not started');
  }
});
