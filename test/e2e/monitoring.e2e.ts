import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';
import { GRACE_MS, SAMPLE_MS, within } from './deadlines';

/** A process Procdeck did not start: its own session, so nothing of Procdeck's is its ancestor. */
function startOutsider(seconds: string): ChildProcess {
  return spawn('sleep', [seconds], { detached: true, stdio: 'ignore' });
}

/** Nice value of a process, from /proc/PID/stat. */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function showView(page: Page, name: 'Jobs' | 'System'): Promise<void> {
  const tab = page.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

async function showDetailTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tablist', { name: 'Details' }).getByRole('tab', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** The process grid's row for a pid (the filter may also match other processes). */
function processRow(page: Page, pid: number): Locator {
  return page
    .getByRole('grid', { name: 'Processes' })
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: String(pid), exact: true }) });
}

const pointsOf = async (chart: Locator) => Number(await chart.getAttribute('data-points'));

test('the system view finds a process started outside Procdeck; Watch charts it, and a signal ends it', async ({ app }) => {
  const outsider = startOutsider('3117');
  try {
    const pid = outsider.pid!;
    await showView(app, 'System');

    // The machine's figures: at once when the view opens (system.stats), then with every sampling tick while it stays open.
    const machine = app.getByRole('region', { name: 'Machine' });
    await expect.poll(() => pointsOf(machine.getByRole('figure', { name: 'Per-core usage chart' })), within(SAMPLE_MS)).toBeGreaterThan(0);
    await expect.poll(() => pointsOf(machine.getByRole('figure', { name: 'Machine memory chart' }))).toBeGreaterThan(0);
    await expect(machine).toContainText('Load average');

    await app.getByLabel('Filter processes').fill('sleep 3117');
    const row = processRow(app, pid);
    await expect(row).toHaveCount(1, within(SAMPLE_MS));
    await expect(row).toContainText('sleep 3117');

    // Tree mode keeps the row (with its ancestors) and indents by depth.
    await app.getByRole('checkbox', { name: 'Tree mode' }).check();
    await expect(row).toHaveCount(1);
    await app.getByRole('checkbox', { name: 'Tree mode' }).uncheck();

    await row.getByRole('button', { name: 'Watch', exact: true }).click();
    const dialog = app.getByRole('alertdialog');
    await expect(dialog).toContainText(`process ${pid}`);
    await dialog.getByRole('button', { name: 'Start watching' }).click();
    await expect(dialog).toBeHidden();

    const card = app.getByRole('region', { name: 'Watched' }).getByRole('article', { name: `Watched process ${pid}` });
    await expect(card).toContainText('sleep 3117');
    await expect.poll(() => pointsOf(card.getByRole('figure', { name: `CPU chart of ${pid}` })), within(2 * SAMPLE_MS)).toBeGreaterThanOrEqual(2);
    await expect.poll(() => pointsOf(card.getByRole('figure', { name: `Memory chart of ${pid}` }))).toBeGreaterThanOrEqual(2);
    await expect(row.getByRole('button', { name: 'Watch', exact: true })).toBeDisabled();

    // A confirmation holds the list still; SIGTERM then ends the outside process.
    await row.getByRole('button', { name: 'Signal', exact: true }).click();
    await expect(app.getByRole('region', { name: 'Process list' })).toContainText('paused while you confirm');
    await dialog.getByLabel('Signal').selectOption('SIGTERM');
    await dialog.getByRole('button', { name: 'Send signal' }).click();
    if (process.getuid?.() === 0) {
      // Procdeck runs as root here: a root process from another session is not the operator's own, so it asks again.
      await expect(dialog.getByRole('alert', { name: 'Second confirmation' })).toHaveText(
        `pid ${pid} is sleep, owned by root but not started by Procdeck or from its session: send SIGTERM anyway?`,
      );
      await dialog.getByRole('button', { name: 'Send SIGTERM anyway' }).click();
    }
    await expect(dialog).toBeHidden();
    await expect.poll(() => isAlive(outsider)).toBe(false);
    await expect(row).toHaveCount(0, within(SAMPLE_MS));
    await expect(card).toContainText('exited');

    await card.getByRole('button', { name: 'Stop watching' }).click();
    await expect(card).toHaveCount(0);
  } finally {
    if (isAlive(outsider)) outsider.kill('SIGKILL');
  }
});

test("an action on another user's process asks a second time, naming it, and only then goes ahead", async ({ app }) => {
  test.skip(process.getuid?.() !== 0, 'needs root to start a process as nobody (setpriv)');
  const other = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '3119'], { detached: true, stdio: 'ignore' });
  try {
    const pid = other.pid!;
    await showView(app, 'System');
    await app.getByLabel('Filter processes').fill('sleep 3119');
    const row = processRow(app, pid);
    await expect(row).toContainText('nobody', { timeout: 15_000 });
    const dialog = app.getByRole('alertdialog');
    const second = dialog.getByRole('alert', { name: 'Second confirmation' });

    // Renice: the second step names the process; Cancel there leaves it alone.
    await row.getByRole('button', { name: 'Renice', exact: true }).click();
    await dialog.getByLabel('Nice value').fill('7');
    await dialog.getByRole('button', { name: 'Apply nice' }).click();
    await expect(second).toHaveText(`pid ${pid} is sleep, owned by nobody: renice it to 7 anyway?`);
    await expect(dialog.getByLabel('Nice value')).toBeDisabled();
    // Enter there cancels: focus is on Cancel.
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(niceOf(pid)).toBe(0);

    // Signal: confirmed twice, it goes through.
    await row.getByRole('button', { name: 'Signal', exact: true }).click();
    await dialog.getByLabel('Signal').selectOption('SIGTERM');
    await dialog.getByRole('button', { name: 'Send signal' }).click();
    await expect(second).toHaveText(`pid ${pid} is sleep, owned by nobody: send SIGTERM anyway?`);
    expect(isAlive(other)).toBe(true);
    await dialog.getByRole('button', { name: 'Send SIGTERM anyway' }).click();
    await expect(dialog).toBeHidden();
    await expect.poll(() => isAlive(other)).toBe(false);
    expect(other.signalCode).toBe('SIGTERM');
  } finally {
    if (isAlive(other)) other.kill('SIGKILL');
  }
});

test('a memory alert rule set on a job from its Monitor tab fires, stops the job, and is in the alert history', async ({ app }) => {
  const name = uniqueName('hog');
  // About 48 MiB resident, held until stopped.
  await launch(app, `'${process.execPath}' -e 'const b = Buffer.alloc(48 * 1024 * 1024, 1); setInterval(() => b[0]++, 500)'`, name);
  const row = jobRow(app, name);
  await expect(row.getByRole('gridcell').nth(1)).toContainText('running');
  await row.click();

  await showDetailTab(app, 'Monitor');
  const panel = app.getByRole('region', { name: 'Job alerts' });
  const form = panel.getByRole('form', { name: 'Add alert rule' });
  await form.getByLabel('Rule', { exact: true }).selectOption('memory');
  await form.getByLabel('Threshold (MiB)').fill('16');
  await form.getByLabel('For (seconds)').fill('0');
  await form.getByLabel('Action', { exact: true }).selectOption('stop');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(panel.getByRole('listitem').filter({ hasText: 'Memory above 16 MiB' })).toBeVisible();

  const fired = panel.getByRole('table', { name: 'Alert history' }).getByRole('row').filter({ hasText: 'Memory above 16 MiB' });
  await expect(fired.first()).toBeVisible(within(SAMPLE_MS));
  await expect(fired.first()).toContainText('Stop');
  await expect(fired.first()).toContainText(/\d+(\.\d+)? MiB/);
  await expect(row.getByRole('gridcell').nth(1)).toContainText('stopped', within(GRACE_MS));

  // The same alert is in the machine-wide history, with the job's name.
  await showView(app, 'System');
  const history = app.getByRole('region', { name: 'Alerts', exact: true }).getByRole('table', { name: 'Alert history' });
  await expect(history.getByRole('row').filter({ hasText: name }).first()).toContainText('Memory above 16 MiB');
  await showView(app, 'Jobs');
});

test('a job shows its process tree while it runs and its run metrics once it ends', async ({ app }) => {
  const name = uniqueName('treejob');
  await launch(app, 'sleep 300 & sleep 300 & wait', name);
  const row = jobRow(app, name);
  await expect(row.getByRole('gridcell').nth(1)).toContainText('running');
  await row.click();

  await showDetailTab(app, 'Monitor');
  const tree = app.getByRole('table', { name: 'Process tree' });
  // The shell and its two sleeps, plus the header and the totals row.
  await expect(tree.getByRole('row').filter({ hasText: 'sleep 300' })).toHaveCount(3, within(SAMPLE_MS));
  await expect(tree).toContainText('Total (3 processes)');

  await row.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(row.getByRole('gridcell').nth(1)).toContainText('stopped');
  const metrics = app.getByRole('region', { name: 'Run metrics' });
  await expect(metrics).toContainText('Peak memory');
  await expect(metrics).toContainText('Duration');

  await showDetailTab(app, 'Charts');
  await app.getByRole('radio', { name: '1 min' }).check();
  await expect.poll(() => pointsOf(app.getByRole('region', { name: 'Charts' }).getByLabel('CPU chart'))).toBeGreaterThan(0);
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  await app.getByRole('radio', { name: 'Whole run' }).check();
});
