import type { Page } from '@playwright/test';
import { expect, jobRow, test, uniqueName } from './browserHost';
import { hostCall } from './hostApi';

const grid = (page: Page) => page.getByRole('grid', { name: 'Jobs' });
const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);
/** The grid's body rows, top to bottom, by the first line of their Job cell. */
const rowNames = (page: Page) => grid(page).getByRole('row').locator('.job-name').allTextContents();

/** The jobs' states as the host reports them (rows out of view are not in the DOM: the grid is virtualised). */
async function statesOf(host: Parameters<typeof hostCall>[0], names: readonly string[]): Promise<string[]> {
  const { jobs } = await hostCall(host, 'jobs.list', {});
  return names.map((name) => jobs.find((job) => job.name === name)?.state ?? 'gone');
}

test('bulk stop of 20 jobs: shift-click picks them, one Stop stops them all, and Clear finished removes them', async ({ app, host }) => {
  const prefix = uniqueName('bulk');
  const names = Array.from({ length: 20 }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  for (const name of names) await hostCall(host, 'jobs.start', { spec: { name, command: { kind: 'shell', script: 'sleep 300' } } });
  await expect.poll(() => statesOf(host, names)).toEqual(names.map(() => 'running'));
  await app.getByLabel('Filter jobs').fill(prefix);
  await expect(app.getByText(/^20 (of \d+ )?jobs$/)).toBeVisible();

  // Newest first among the live ones: the last started is on top, the first at the bottom.
  await jobRow(app, names[19]!).getByRole('gridcell').first().click();
  await grid(app).evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await jobRow(app, names[0]!).getByRole('gridcell').first().click({ modifiers: ['Shift'] });
  const bar = app.getByRole('toolbar', { name: 'Selected jobs' });
  await expect(bar).toContainText('20 selected');
  // Read every rendered row's selection in one go: the grid is virtualised, so rows come and go
  // as it settles after the scroll, and a locator taken per row can outlive its row.
  const shownSelection = () =>
    grid(app).getByRole('row').filter({ hasText: prefix }).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-selected')));
  await expect.poll(async () => { const selection = await shownSelection(); return selection.length > 0 && selection.every((value) => value === 'true'); }).toBe(true);

  await bar.getByRole('button', { name: 'Stop selected' }).click();
  await expect(bar.getByRole('status')).toHaveText('Stop: 20 jobs stopped.');
  await expect.poll(async () => (await statesOf(host, names)).filter((state) => state === 'running' || state === 'stopping')).toEqual([]);
  await expect(bar.getByRole('button', { name: 'Stop selected' })).toBeDisabled();

  // Ctrl-click leaves one out; the bar counts only the jobs each action applies to.
  await jobRow(app, names[0]!).getByRole('gridcell').first().click({ modifiers: ['Control'] });
  await expect(bar).toContainText('19 selected');
  await expect(bar.getByRole('button', { name: 'Remove selected' })).toHaveText('Remove (19)');

  await app.getByRole('button', { name: 'Clear finished', exact: true }).click();
  await expect(bar.getByRole('status')).toHaveText('Clear finished: 20 jobs removed.');
  await expect.poll(() => statesOf(host, names)).toEqual(names.map(() => 'gone'));
  await expect(grid(app).getByRole('row').filter({ hasText: prefix })).toHaveCount(0);
  await app.getByLabel('Filter jobs').fill('');
});

test('keys act on every selected job: Shift+↓ extends the pick, Space takes one out, k kills the rest after asking once', async ({ app, host }) => {
  const prefix = uniqueName('keys-bulk');
  const names = [0, 1, 2, 3].map((i) => `${prefix}-${i}`);
  for (const name of names) await hostCall(host, 'jobs.start', { spec: { name, command: { kind: 'shell', script: 'sleep 300' } } });
  await app.getByLabel('Filter jobs').fill(prefix);
  for (const name of names) await expect(stateOf(app, name)).toContainText('running');

  await jobRow(app, names[3]!).getByRole('gridcell').first().click();
  await app.keyboard.press('Shift+ArrowDown');
  await app.keyboard.press('Shift+ArrowDown');
  await app.keyboard.press('Shift+ArrowDown');
  await expect(app.getByRole('toolbar', { name: 'Selected jobs' })).toContainText('4 selected');
  // Ctrl+↑ moves without changing the pick; Space then takes that row out.
  await app.keyboard.press('Control+ArrowUp');
  await app.keyboard.press(' ');
  await expect(jobRow(app, names[1]!)).toHaveAttribute('aria-selected', 'false');
  await expect(app.getByRole('toolbar', { name: 'Selected jobs' })).toContainText('3 selected');

  await app.keyboard.press('k');
  const dialog = app.getByRole('alertdialog', { name: 'Kill 3 jobs?' });
  await expect(dialog).toContainText(names[0]!);
  await dialog.getByRole('button', { name: 'Confirm kill' }).click();
  for (const i of [0, 2, 3]) await expect(stateOf(app, names[i]!)).toContainText('killed');
  await expect(stateOf(app, names[1]!)).toContainText('running');
  await hostCall(host, 'jobs.kill', { jobId: (await hostCall(host, 'jobs.list', {})).jobs.find((job) => job.name === names[1])!.id });
  await app.getByLabel('Filter jobs').fill('');
});

test('finished work never buries a service: live jobs on top by default; column sorts still work and Live first comes back', async ({ app, host }) => {
  const prefix = uniqueName('order');
  const service = `${prefix}-service`;
  await hostCall(host, 'jobs.start', { spec: { name: service, command: { kind: 'shell', script: 'sleep 300' } } });
  await expect(stateOf(app, service)).toContainText('running');
  // Finished after the service started, so newer: "newest first" alone would put them on top.
  for (const i of [1, 2, 3]) await hostCall(host, 'jobs.start', { spec: { name: `${prefix}-done-${i}`, command: { kind: 'shell', script: 'true' } } });
  await app.getByLabel('Filter jobs').fill(prefix);
  for (const i of [1, 2, 3]) await expect(stateOf(app, `${prefix}-done-${i}`)).toContainText('exited (0)');

  await expect(app.getByRole('button', { name: 'Live first' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => rowNames(app)).toEqual([service, `${prefix}-done-3`, `${prefix}-done-2`, `${prefix}-done-1`]);

  await grid(app).getByRole('columnheader', { name: 'Job' }).getByRole('button').click();
  await expect(grid(app).getByRole('columnheader', { name: 'Job' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(app.getByRole('button', { name: 'Live first' })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => rowNames(app)).toEqual([`${prefix}-done-1`, `${prefix}-done-2`, `${prefix}-done-3`, service]);

  await app.getByRole('button', { name: 'Live first' }).click();
  await expect(grid(app).getByRole('columnheader', { name: 'Job' })).toHaveAttribute('aria-sort', 'none');
  await expect.poll(() => rowNames(app)).toEqual([service, `${prefix}-done-3`, `${prefix}-done-2`, `${prefix}-done-1`]);
  await jobRow(app, service).getByRole('button', { name: 'Kill' }).click();
  await app.getByRole('alertdialog').getByRole('button', { name: 'Confirm kill' }).click();
  await app.getByLabel('Filter jobs').fill('');
});

test('a batch is one row that opens to show its items and folds back; Stop batch stops what is left', async ({ app, host }) => {
  const name = uniqueName('batch-row');
  const { batch } = await hostCall(host, 'batches.submit', { name, lines: ['true', 'exit 3', 'sleep 300', 'sleep 300'].join('\n'), limit: 4 });
  await app.getByLabel('Filter jobs').fill(name);
  const row = grid(app).locator(`[data-batch-id="${batch.id}"]`);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('gridcell').nth(1)).toContainText('2 running', { timeout: 30_000 });
  await expect(row.getByRole('gridcell').nth(1)).toContainText('1 done · 1 failed');
  // Its items are not rows of their own until it is opened.
  await expect(grid(app).locator('[data-job-id]')).toHaveCount(0);

  const toggle = row.getByRole('button', { name });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(grid(app).locator('[data-job-id][data-depth="1"]')).toHaveCount(4);

  // Enter on the batch row folds it again.
  await row.getByRole('gridcell').nth(1).focus();
  await app.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(grid(app).locator('[data-job-id]')).toHaveCount(0);

  await row.getByRole('button', { name: 'Stop batch' }).click();
  await expect(row.getByRole('gridcell').nth(1)).toContainText('finished');
  await app.getByLabel('Filter jobs').fill('');
});
