import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, jobRow, launch, startBrowserHost, test } from './browserHost';

test('a clicked job saved as a definition from the Config file dialog: written to the data dir file, started with autostart; a taken name is refused', async ({ page }) => {
  // A host of its own: no config file is in force, so the definition goes to <data dir>/procdeck.yaml.
  const dataDir = mkdtempSync(join(tmpdir(), 'procdeck-e2e-'));
  const { host, process: child } = await startBrowserHost({ dataDir });
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(host.url);
    await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await page.getByRole('button', { name: 'New job' }).click();
    await launch(page, 'echo saved job ran in $PWD', 'nightly report');
    await expect(jobRow(page, 'nightly report').getByRole('gridcell').nth(1)).toContainText('exited (0)');

    await page.getByRole('button', { name: 'Config file' }).click();
    const dialog = page.getByRole('dialog', { name: 'Config file' });
    const save = dialog.getByRole('group', { name: 'Save a job as a definition' });
    const option = save.getByLabel('Job').locator('option', { hasText: /^nightly report \(j/ });
    await save.getByLabel('Job').selectOption((await option.getAttribute('value'))!);
    await expect(save.getByLabel('Definition name')).toHaveValue('nightly-report');
    await save.getByLabel('Start it when Procdeck starts (autostart)').check();
    await save.getByRole('button', { name: 'Save as definition' }).click();
    const file = join(dataDir, 'procdeck.yaml');
    await expect(dialog.getByRole('status')).toContainText(`Applied ${file}: 1 added`);
    await expect(dialog.getByRole('status')).toContainText('started nightly-report');
    expect(parse(readFileSync(file, 'utf8'))).toMatchObject({ jobs: { 'nightly-report': { command: 'echo saved job ran in $PWD', autostart: true } } });

    // Saved again under the same name without Replace: refused, the file as it was.
    const before = readFileSync(file, 'utf8');
    await save.getByLabel('Start it when Procdeck starts (autostart)').uncheck();
    await save.getByRole('button', { name: 'Save as definition' }).click();
    await expect(dialog.getByRole('alert')).toContainText('nightly-report is already defined');
    expect(readFileSync(file, 'utf8')).toBe(before);

    // Marked not to start with Procdeck: the file loses its autostart, the rest as it was.
    const autostart = dialog.getByRole('group', { name: 'Start with Procdeck (autostart)' }).getByLabel('nightly-report');
    await expect(autostart).toBeChecked();
    // It shows what the engine says: unticked once the file is applied (not on the click itself).
    await autostart.click();
    await expect(dialog.getByRole('status')).toContainText(`Applied ${file}: 0 added, 1 changed`);
    await expect(autostart).not.toBeChecked();
    expect(parse(readFileSync(file, 'utf8')).jobs['nightly-report'].autostart).toBeUndefined();
    await page.keyboard.press('Escape');

    // The definition is a job of its own, which ran as the clicked one did.
    const declared = jobRow(page, 'nightly-report');
    await expect(declared.getByRole('gridcell').nth(1)).toContainText('exited (0)');
    await declared.click();
    await expect(page.getByRole('region', { name: 'Log' })).toContainText('saved job ran in');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
