import type { Page } from '@playwright/test';
import { expect, jobRow, test, uniqueName } from './browserHost';
import { hostCall } from './hostApi';

const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);
const grid = (page: Page) => page.getByRole('grid', { name: 'Jobs' });
/** The element holding focus, if it is inside the Jobs grid. */
const focusInGrid = (page: Page) => grid(page).locator(':focus');

/** Types text with the keyboard, as an operator would (no fill: nothing but key presses). */
async function type(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
}

test('keyboard only: start a job, select it, stop it, open its log, and come back', async ({ app }) => {
  const name = uniqueName('keys');
  // n focuses Command; Tab walks to Name (Run as, Working directory, Environment, Variables and Timeout in between).
  await app.keyboard.press('n');
  await expect(app.getByLabel('Command')).toBeFocused();
  await type(app, "echo keyboard-walkthrough; trap 'echo got TERM; exit 0' TERM; while :; do sleep 0.1; done");
  for (let tabs = 0; tabs < 12 && !(await app.getByLabel('Name').evaluate((element) => element === document.activeElement)); tabs++) {
    await app.keyboard.press('Tab');
  }
  await expect(app.getByLabel('Name')).toBeFocused();
  await type(app, name);
  await app.keyboard.press('Enter');

  // The new job's row takes focus: the next keys are shortcuts, not letters typed into Command.
  await expect(stateOf(app, name)).toContainText('running');
  await expect(jobRow(app, name).locator(':focus')).toHaveCount(1);
  await expect(jobRow(app, name)).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('keyboard-walkthrough');

  await app.keyboard.press('s');
  await expect(stateOf(app, name)).not.toContainText('running');
  await expect(app.getByLabel('Command')).toHaveValue(/^echo keyboard-walkthrough/);

  await app.keyboard.press('l');
  const log = app.getByRole('region', { name: 'Log' }).getByRole('log');
  await expect(log).toBeFocused();
  await expect(log).toContainText('got TERM');
  await app.keyboard.press('Escape');
  await expect(jobRow(app, name).locator(':focus')).toHaveCount(1);
});

test('Esc leaves a field for the grid; the grid is one Tab stop; arrows move and select; focus selects', async ({ app, host }) => {
  const first = uniqueName('first');
  const second = uniqueName('second');
  await hostCall(host, 'jobs.start', { spec: { name: first, command: { kind: 'shell', script: 'sleep 300' } } });
  await hostCall(host, 'jobs.start', { spec: { name: second, command: { kind: 'shell', script: 'sleep 300' } } });
  await expect(stateOf(app, first)).toContainText('running');
  await expect(stateOf(app, second)).toContainText('running');

  await app.getByLabel('Command').focus();
  await app.keyboard.press('Escape');
  await expect(focusInGrid(app)).toHaveCount(1);
  await expect(app.getByLabel('Command')).not.toBeFocused();

  // Live jobs come newest first: the second is on top. ↓ reaches the first one and selects it.
  await app.keyboard.press('Control+Home');
  await expect(jobRow(app, second)).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('ArrowDown');
  await expect(jobRow(app, first)).toHaveAttribute('aria-selected', 'true');
  await expect(jobRow(app, second)).toHaveAttribute('aria-selected', 'false');
  await expect(app.getByRole('region', { name: 'Log' }).getByRole('heading', { name: first })).toBeVisible();

  // → walks the row's cells and buttons; the row's buttons are not separate Tab stops.
  for (let i = 0; i < 7; i++) await app.keyboard.press('ArrowRight');
  await expect(jobRow(app, first).getByRole('button', { name: 'Stop' })).toBeFocused();
  const tabStops = await grid(app).evaluate((element) => element.querySelectorAll('[tabindex="0"]').length);
  expect(tabStops).toBe(1);
  await app.keyboard.press('Tab');
  await expect(focusInGrid(app)).toHaveCount(0);
  await app.keyboard.press('Shift+Tab');
  await expect(jobRow(app, first).getByRole('button', { name: 'Stop' })).toBeFocused();

  // p pauses, p again resumes, r restarts (a second run), k asks before killing.
  await app.keyboard.press('p');
  await expect(stateOf(app, first)).toContainText('paused');
  await app.keyboard.press('p');
  await expect(stateOf(app, first)).toContainText('running');
  await app.keyboard.press('r');
  await expect(stateOf(app, first)).toHaveAttribute('title', /1 manual/);
  await expect(stateOf(app, first)).toContainText('running');
  await app.keyboard.press('k');
  const dialog = app.getByRole('alertdialog', { name: `Kill ${first}?` });
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Enter');
  await expect(stateOf(app, first)).toContainText('killed');
  // Delete removes the finished job; focus stays in the grid, on the row that took its place.
  await app.keyboard.press('Delete');
  await expect(jobRow(app, first)).toHaveCount(0);
  await expect(focusInGrid(app)).toHaveCount(1);

  // Focusing a row's button makes its job the current one.
  await jobRow(app, second).getByRole('button', { name: 'Pause' }).focus();
  await expect(jobRow(app, second)).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByRole('region', { name: 'Log' }).getByRole('heading', { name: second })).toBeVisible();
  await app.keyboard.press('s');
  await expect(stateOf(app, second)).not.toContainText('running');
});

test('the help lists a key for every row action', async ({ app }) => {
  await app.keyboard.press('?');
  const help = app.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const [key, action] of [
    ['s', /Stop/],
    ['k', /Kill/],
    ['r', /Restart/],
    ['p', /Pause \/ resume/],
    ['g', /signal/],
    ['Delete', /Remove/],
    ['l', /log/],
    ['Esc', /Leave a field/],
  ] as const) {
    await expect(help.getByRole('row').filter({ has: app.getByRole('rowheader', { name: key, exact: true }) }).first()).toContainText(action);
  }
  await app.keyboard.press('Escape');
  await expect(help).toBeHidden();
});
