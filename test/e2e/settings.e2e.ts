import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, startBrowserHost, test } from './browserHost';

test('the finished-jobs cap is a setting: set in Settings, saved, and a value out of range is refused naming the field', async ({ app, host }) => {
  const dialog = app.getByRole('dialog', { name: 'Settings' });
  const field = dialog.getByLabel('Finished jobs kept', { exact: true });
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  const original = await field.inputValue();
  expect(original).toBe('5000');
  try {
    await field.fill('50');
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText(/100/);
    await expect(field).toHaveAttribute('aria-invalid', 'true');

    await field.fill('250');
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();
    expect(JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ finishedJobsKept: 250 });
  } finally {
    // Open it again unless a failed step left it open (the click would wait behind the dialog).
    if (!(await dialog.isVisible())) await app.getByRole('button', { name: 'Settings', exact: true }).click();
    await field.fill(original);
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();
  }
});

test('the global pool is a setting: "Jobs running at once" is saved, and 0 is refused naming the field', async ({ app, host }) => {
  const dialog = app.getByRole('dialog', { name: 'Settings' });
  const field = dialog.getByLabel('Jobs running at once', { exact: true });
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  const original = await field.inputValue();
  try {
    await field.fill('0');
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText(/1/);
    await expect(field).toHaveAttribute('aria-invalid', 'true');

    await field.fill('3');
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();
    expect(JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ maxConcurrent: 3 });
  } finally {
    // Open it again unless a failed step left it open (the click would wait behind the dialog).
    if (!(await dialog.isVisible())) await app.getByRole('button', { name: 'Settings', exact: true }).click();
    await field.fill(original);
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();
  }
});

test("the Slurm cluster's slurm.conf is a setting: a relative path is refused naming the field, an absolute one is saved, empty is Slurm's own lookup", async ({ app, host }) => {
  const dialog = app.getByRole('dialog', { name: 'Settings' });
  const field = dialog.getByLabel("Cluster's slurm.conf", { exact: true });
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  expect(await field.inputValue()).toBe('');
  try {
    await field.fill('etc/slurm.conf');
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('slurm.conf must be an absolute path');
    await expect(field).toHaveAttribute('aria-invalid', 'true');

    await field.fill('/srv/cluster/slurm.conf');
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();
    expect(JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ slurmConf: '/srv/cluster/slurm.conf' });
  } finally {
    if (!(await dialog.isVisible())) await app.getByRole('button', { name: 'Settings', exact: true }).click();
    await field.fill('');
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();
  }
  expect(JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ slurmConf: null });
});

test('the log disk budget is a setting: the space in use is shown beside it, a bad size is refused naming the field, and a lower budget deletes the oldest log at once', async ({ page }) => {
  // A host of its own: the space in use is then only what this test put there (a log left from an earlier run).
  const dataDir = mkdtempSync(join(tmpdir(), 'procdeck-e2e-'));
  const oldLog = join(dataDir, 'logs', 'jold', 'rold.log');
  mkdirSync(dirname(oldLog), { recursive: true });
  writeFileSync(oldLog, 'x'.repeat(300 * 1024));
  const { host, process: child } = await startBrowserHost({ dataDir });
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(host.url);
    await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const field = dialog.getByLabel('Log disk budget', { exact: true });
    const save = dialog.getByRole('button', { name: 'Save settings', exact: true });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(field).toHaveValue('1GiB');
    await expect(dialog.getByText('300 KiB of 1 GiB used (1 log file)')).toBeVisible();
    await expect(field).toHaveAccessibleDescription(/300 KiB of 1 GiB used/);

    // Not a size, then a size below the range: refused on the field, nothing saved, the log still there.
    await field.fill('64');
    await save.click();
    await expect(dialog.getByRole('alert')).toContainText('write a size with its unit');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await field.fill('1K');
    await save.click();
    await expect(dialog.getByRole('alert')).toContainText('the log budget must be at least 64 KiB');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(existsSync(join(dataDir, 'settings.json'))).toBe(false); // never saved: the defaults are in force
    expect(existsSync(oldLog)).toBe(true);

    // Lowered below what the logs take: saved, and the oldest log goes at once, said in a notice.
    await field.fill('256KiB');
    await field.press('Enter');
    await expect(dialog).toBeHidden();
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ logBudgetBytes: 256 * 1024 });
    expect(existsSync(oldLog)).toBe(false);
    await expect(page.getByRole('list', { name: 'Notices' })).toContainText('deleted the log of run rold of job jold, no longer listed (300 KiB) to keep logs under the 256 KiB budget');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(field).toHaveValue('256KiB');
    await expect(dialog.getByText('0 B of 256 KiB used (0 log files)')).toBeVisible();

    // Runs kept per job, beside it: out of range refused on the field, then saved.
    const runsKept = dialog.getByLabel('Runs kept per job', { exact: true });
    await expect(runsKept).toHaveValue('20');
    await runsKept.fill('0');
    await save.click();
    await expect(runsKept).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByRole('alert')).toContainText(/1/);
    await runsKept.fill('5');
    await save.click();
    await expect(dialog).toBeHidden();
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ runsKept: 5, logBudgetBytes: 256 * 1024 });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
