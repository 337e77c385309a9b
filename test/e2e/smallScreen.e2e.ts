import type { Locator, Page } from '@playwright/test';
import { expect, jobRow, test, uniqueName } from './browserHost';
import { SAMPLE_MS, within } from './deadlines';
import { hostCall, pageScrollWidth } from './hostApi';

const SMALL = { width: 1024, height: 700 };
const DETAIL_TABS = ['Charts', 'Monitor', 'CPU', 'Batches', 'Groups', 'Limits'];

const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

/** The element's right edge is inside the window: not cut off, not reachable only by scrolling sideways. */
async function expectInWindow(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, 'the element is laid out').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(SMALL.width);
}

/** Neither the page nor a grid inside it needs a sideways scroll. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  expect(await pageScrollWidth(page), `page width in ${what}`).toBeLessThanOrEqual(SMALL.width);
  const grids = await page.locator('[role="grid"]:visible').evaluateAll((elements) => elements.map((element) => element.scrollWidth - element.clientWidth));
  for (const overflow of grids) expect(overflow, `a grid scrolls sideways in ${what}`).toBeLessThanOrEqual(0);
}

test.describe('at 1024×700', () => {
  test.use({ viewport: SMALL });

  test('nothing overflows sideways in any view or detail tab, and every tab and row action is on screen', async ({ app, host }) => {
    const name = uniqueName('small');
    const { job } = await hostCall(host, 'jobs.start', { spec: { name, command: { kind: 'shell', script: 'echo small-screen; sleep 300' } } });
    await expect(stateOf(app, name)).toContainText('running');
    await jobRow(app, name).click();
    await expectNoSidewaysScroll(app, 'the Jobs view');

    const tabs = app.getByRole('tablist', { name: 'Details' });
    for (const label of DETAIL_TABS) {
      const tab = tabs.getByRole('tab', { name: label, exact: true });
      await expectInWindow(tab);
      await tab.click();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      await expectNoSidewaysScroll(app, `the ${label} tab`);
    }
    // The row's actions are one menu, inside the window.
    await expectInWindow(jobRow(app, name).getByRole('button', { name: 'Actions' }));

    await app.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: 'System' }).click();
    const processRow = app.getByRole('grid', { name: 'Processes' }).getByRole('row').nth(1);
    await expect(processRow).toBeVisible(within(SAMPLE_MS));
    await expectNoSidewaysScroll(app, 'the System view');
    await expectInWindow(processRow.getByRole('button', { name: 'Actions' }));

    await app.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = app.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    await expectNoSidewaysScroll(app, 'the Settings dialog');
    await settings.getByRole('button', { name: 'Cancel' }).click();
    await app.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: 'Jobs' }).click();
    await hostCall(host, 'jobs.kill', { jobId: job.id });
  });

  test('the launch form folds into a "New job" button, which opens it; starting closes it', async ({ app }) => {
    const form = app.getByRole('form', { name: 'New job' });
    await expect(form).toBeHidden();
    const open = app.getByRole('button', { name: 'New job', exact: true });
    await expectInWindow(open);
    await open.click();
    await expect(form).toBeVisible();
    await expect(form.getByLabel('Command')).toBeFocused();
    await expectNoSidewaysScroll(app, 'the open launch form');

    const name = uniqueName('folded');
    await form.getByLabel('Command').fill('sleep 300');
    await form.getByLabel('Name').fill(name);
    await form.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(stateOf(app, name)).toContainText('running');
    await expect(form).toBeHidden();

    // `n` opens it again with Command focused; Esc folds it and leaves for the grid.
    await app.keyboard.press('n');
    await expect(form.getByLabel('Command')).toBeFocused();
    await app.keyboard.press('Escape');
    await expect(form).toBeHidden();
    await expect(app.getByRole('grid', { name: 'Jobs' }).locator(':focus')).toHaveCount(1);
    await jobRow(app, name).getByRole('button', { name: 'Actions' }).click();
    await app.getByRole('menu', { name: `Actions for ${name}` }).getByRole('menuitem', { name: 'Kill' }).click();
    await app.getByRole('alertdialog').getByRole('button', { name: 'Confirm kill' }).click();
    await expect(stateOf(app, name)).toContainText('killed');
  });

  test("a row's actions menu works from the keyboard: open, move, run, and Esc back to its button", async ({ app, host }) => {
    const name = uniqueName('menu');
    await hostCall(host, 'jobs.start', { spec: { name, command: { kind: 'shell', script: 'sleep 300' } } });
    await expect(stateOf(app, name)).toContainText('running');
    const button = jobRow(app, name).getByRole('button', { name: 'Actions' });
    await button.focus();
    await expect(button).toHaveAttribute('aria-haspopup', 'menu');

    await app.keyboard.press('Enter');
    const menu = app.getByRole('menu', { name: `Actions for ${name}` });
    await expect(menu).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(menu.getByRole('menuitem', { name: 'Stop' })).toBeFocused();
    // Items that do not apply are there but disabled (Resume is not offered while running).
    await expect(menu.getByRole('menuitem', { name: 'Remove' })).toBeDisabled();
    await app.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: 'Kill' })).toBeFocused();
    await app.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(button).toBeFocused();
    await expect(stateOf(app, name)).toContainText('running');

    // ↓ opens on the first item; Enter runs it.
    await app.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: 'Stop' })).toBeFocused();
    await app.keyboard.press('Enter');
    await expect(menu).toBeHidden();
    await expect(stateOf(app, name)).toContainText(/stopping|killed|stopped/);
  });

  test("a process's actions fold into a menu in the System view, and its items open their confirmation", async ({ app }) => {
    await app.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: 'System' }).click();
    const row = app.getByRole('grid', { name: 'Processes' }).getByRole('row').nth(1);
    await expect(row).toBeVisible(within(SAMPLE_MS));
    await row.getByRole('button', { name: 'Actions' }).click();
    const menu = app.getByRole('menu', { name: /^Actions for process \d+$/ });
    await expect(menu.getByRole('menuitem')).toHaveText(['Signal', 'Renice', 'Set affinity', 'Watch']);
    await menu.getByRole('menuitem', { name: 'Renice' }).click();
    const dialog = app.getByRole('alertdialog');
    await expect(dialog.getByLabel('Nice value')).toBeVisible();
    await expectNoSidewaysScroll(app, 'a process action dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await app.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name: 'Jobs' }).click();
  });
});
