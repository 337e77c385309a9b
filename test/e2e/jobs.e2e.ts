import type { Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';
import { GRACE_MS, SAMPLE_MS, within } from './deadlines';
import { groupMembers } from './procfs';

/** The state cell (other cells can name signals too, e.g. a command that traps one). */
const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

async function pidOf(page: Page, name: string): Promise<number> {
  const row = jobRow(page, name);
  await expect(row.getByRole('gridcell').nth(2)).toHaveText(/^\d+$/);
  return Number(await row.getByRole('gridcell').nth(2).textContent());
}

test('launch a shell job: the row runs and the log shows its output', async ({ app }) => {
  const name = uniqueName('hello');
  await launch(app, "echo hello; sleep 300", name);
  const row = jobRow(app, name);
  await expect(stateOf(app, name)).toContainText('running');
  await row.click();
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('hello');
  await row.getByRole('button', { name: 'Stop' }).click();
  await expect(stateOf(app, name)).toHaveText(/^stopped/);
});

test('stdin round trip through cat', async ({ app }) => {
  const name = uniqueName('cat');
  await launch(app, 'cat', name);
  const row = jobRow(app, name);
  await expect(stateOf(app, name)).toContainText('running');
  await row.click();
  await app.getByLabel('Input').fill('typed into stdin');
  await app.getByRole('button', { name: 'Send' }).click();
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('typed into stdin');
  await app.getByRole('button', { name: 'Close stdin' }).click();
  await expect(stateOf(app, name)).toContainText('exited (0)');
});

test('Kill asks first, then no process of the tree survives', async ({ app }) => {
  const name = uniqueName('tree');
  await launch(app, 'sleep 300 & sleep 300 & wait', name);
  const row = jobRow(app, name);
  await expect(stateOf(app, name)).toContainText('running');
  const pgid = await pidOf(app, name);
  await expect.poll(() => groupMembers(pgid).length).toBeGreaterThanOrEqual(3);
  await row.getByRole('button', { name: 'Kill' }).click();
  const dialog = app.getByRole('alertdialog');
  await expect(dialog).toContainText('Kill');
  await dialog.getByRole('button', { name: 'Confirm kill' }).click();
  await expect(stateOf(app, name)).toContainText('killed (SIGKILL)');
  await expect.poll(() => groupMembers(pgid)).toEqual([]);
});

test('Signal sends any signal to the job: the job traps SIGUSR1, then SIGHUP ends it', async ({ app }) => {
  const name = uniqueName('trapper');
  await launch(app, "trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.1; done", name);
  const row = jobRow(app, name);
  await row.click();
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('ready');
  await row.getByRole('button', { name: 'Signal', exact: true }).click();
  const dialog = app.getByRole('dialog', { name: `Send a signal to ${name}` });
  await dialog.getByLabel('Signal').selectOption('SIGUSR1');
  await dialog.getByRole('button', { name: 'Send SIGUSR1' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('got USR1');
  await expect(stateOf(app, name)).toContainText('running');
  // The dialog offers the last signal again; pick another one.
  await row.getByRole('button', { name: 'Signal', exact: true }).click();
  await expect(dialog.getByLabel('Signal')).toHaveValue('SIGUSR1');
  await dialog.getByLabel('Signal').selectOption('SIGHUP');
  await dialog.getByRole('button', { name: 'Send SIGHUP' }).click();
  await expect(stateOf(app, name)).toContainText('SIGHUP');
});

test('Stop on a job that ignores SIGTERM kills it after the grace period', async ({ app }) => {
  const name = uniqueName('stubborn');
  await launch(app, "trap '' TERM; echo trapped; sleep 300 & wait", name);
  const row = jobRow(app, name);
  await row.click();
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('trapped');
  const pgid = await pidOf(app, name);
  const stoppedAt = Date.now();
  await row.getByRole('button', { name: 'Stop' }).click();
  await expect(stateOf(app, name)).toContainText('stopping');
  // Stopped as asked, though it took SIGKILL after the grace period.
  await expect(stateOf(app, name)).toContainText('stopped (SIGKILL)', within(GRACE_MS));
  // Only after the grace period: stoppedAt was read before the click (the margin is for timer rounding).
  expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(GRACE_MS - 500);
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('sending SIGKILL');
  await expect.poll(() => groupMembers(pgid)).toEqual([]);
});

test('the charts of a selected job get points', async ({ app }) => {
  const name = uniqueName('busy');
  await launch(app, 'while :; do :; done', name);
  const row = jobRow(app, name);
  await row.click();
  const cpu = app.getByRole('region', { name: 'Charts' }).getByLabel('CPU chart');
  await expect.poll(async () => Number(await cpu.getAttribute('data-points')), within(3 * SAMPLE_MS)).toBeGreaterThanOrEqual(3);
  // The drawn line has one segment per point after the first.
  await expect(cpu.locator('path.ts-line')).toHaveAttribute('d', /L.*L/);
  await expect(row.getByRole('gridcell').nth(3)).toHaveText(/^\d+(\.\d+)?$/);
  await row.getByRole('button', { name: 'Stop' }).click();
});

test("a sleeping job's chart and CPU figure keep up though its unchanged samples are not sent again", async ({ app }) => {
  const name = uniqueName('sleeper');
  await launch(app, 'sleep 300', name);
  const row = jobRow(app, name);
  await expect(row.getByRole('gridcell').nth(3)).toHaveText(/^\d+(\.\d+)?$/, within(3 * SAMPLE_MS));
  await row.click();
  const cpu = app.getByRole('region', { name: 'Charts' }).getByLabel('CPU chart');
  const points = async () => Number(await cpu.getAttribute('data-points'));
  await expect.poll(points, within(3 * SAMPLE_MS)).toBeGreaterThanOrEqual(2);
  // Settled (sleep's figures stay put): each tick still adds a point and the row keeps its figure.
  const before = await points();
  await expect.poll(points, within(3 * SAMPLE_MS)).toBeGreaterThanOrEqual(before + 2);
  await expect(row.getByRole('gridcell').nth(3)).toHaveText(/^\d+(\.\d+)?$/);
  await row.getByRole('button', { name: 'Stop' }).click();
});

test('a command that does not exist shows a clear error and the app keeps working', async ({ app }) => {
  await app.getByRole('radio', { name: /Program/ }).check();
  await launch(app, 'no-such-program-e2e --flag', uniqueName('missing'));
  await expect(app.getByRole('alert').filter({ hasText: 'command not found: no-such-program-e2e' })).toBeVisible();
  await app.getByRole('radio', { name: 'Shell' }).check();
  const name = uniqueName('after-error');
  await launch(app, 'echo still working', name);
  await expect(stateOf(app, name)).toContainText('exited (0)');
});

test('reloading the page keeps jobs and their logs', async ({ app }) => {
  const name = uniqueName('persist');
  await launch(app, 'echo kept-across-reload; sleep 300', name);
  await expect(stateOf(app, name)).toContainText('running');
  await app.reload();
  const row = jobRow(app, name);
  await expect(stateOf(app, name)).toContainText('running');
  await row.click();
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('kept-across-reload');
  await row.getByRole('button', { name: 'Stop' }).click();
});
