import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { parse } from 'yaml';
import { expect, jobRow, startBrowserHost, test, type BrowserHost } from './browserHost';
import { hostCall } from './hostApi';

const SMALL = { width: 1024, height: 700 };

/** web has what the form has no field for: a grace period, stdin closed, a readiness probe; the comments must survive an edit. */
const CONFIG = [
  '# our services',
  'jobs:',
  '  web:',
  '    # what it serves',
  '    command: [sleep, "300"]',
  '    autostart: true',
  '    gracePeriod: 12s',
  '    stdin: closed   # nothing reads it',
  '    readiness: { exec: "true" }',
  '  other:',
  '    command: [sleep, "301"]   # left alone',
  '',
].join('\n');

const configDialog = (page: Page) => page.getByRole('dialog', { name: 'Config file' });
const definitions = (page: Page) => configDialog(page).getByRole('group', { name: /^Definitions in force/ });

/** A host of its own: the file in force, and what Save as definition writes into it, are this test's. */
async function withOwnHost(run: (page: Page, host: BrowserHost, dir: string) => Promise<void>, page: Page): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdk-e2e-edit-'));
  const { host, process: child } = await startBrowserHost({ dataDir: join(dir, 'data') });
  try {
    await page.setViewportSize(SMALL);
    await page.goto(host.url);
    await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await run(page, host, dir);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a definition edited from the Config file dialog at 1024×700: saved back into the file with what the form cannot hold, refused whole when the file cannot say it', async ({ page }) => {
  await withOwnHost(async (app, host, dir) => {
    const file = join(dir, 'procdeck.yaml');
    writeFileSync(file, CONFIG);
    await hostCall(host, 'config.apply', { path: file });
    await expect(jobRow(app, 'web').getByRole('gridcell').nth(1)).toContainText('running');

    await app.getByRole('button', { name: 'Config file' }).click();
    await expect(definitions(app).getByRole('listitem').filter({ hasText: 'web' })).toContainText('sleep 300');
    await definitions(app).getByRole('button', { name: 'Edit web' }).click();
    await expect(configDialog(app)).toBeHidden();

    // The folded form opens on the definition, saying so; nothing is started or saved yet.
    const form = app.getByRole('form', { name: 'Edit definition' });
    await expect(form).toBeVisible();
    const editing = form.getByRole('status').filter({ hasText: 'Editing definition web' });
    await expect(editing).toContainText(`Editing definition web of ${file}`);
    await expect(editing).toContainText('Not copied: grace period 12 s; stdin closed. Saving keeps these as they are.');
    await expect(form.getByLabel('Command', { exact: true })).toBeFocused();
    await expect(form.getByLabel('Command', { exact: true })).toHaveValue('sleep 300');
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('web');
    await expect(form.getByLabel('Name', { exact: true })).not.toBeEditable();
    await expect(form.getByRole('button', { name: 'Start', exact: true })).toHaveCount(0);
    const save = form.getByRole('button', { name: 'Save definition' });
    // The drawer scrolls to its buttons, which fit its width.
    await save.scrollIntoViewIfNeeded();
    await expect(save).toBeInViewport();
    await expect(form.getByRole('button', { name: 'Cancel edit' })).toBeInViewport();

    // Esc leaves the form as from any field (the drawer folds); the edit is still there when it opens again.
    await app.keyboard.press('Escape');
    await expect(form).toBeHidden();
    await app.getByRole('button', { name: 'New job', exact: true }).click();
    await expect(editing).toBeVisible();

    // A spec the file cannot say (merged stderr): the engine's refusal in the form, the file as it was.
    await form.getByRole('button', { name: 'More options' }).click();
    await form.getByLabel('Merge stderr into stdout (exact line order)').check();
    await save.click();
    await expect(form.getByText('a config file cannot say all of this job (mergeStderr): nothing was saved')).toBeVisible();
    expect(readFileSync(file, 'utf8')).toBe(CONFIG);
    await form.getByLabel('Merge stderr into stdout (exact line order)').uncheck();

    // The command changed, saved from the keyboard (Enter in a field saves while editing).
    await form.getByLabel('Command', { exact: true }).fill('sleep 302');
    await app.keyboard.press('Enter');
    // Saved, the form is a new job's again (the status says what was saved).
    await expect(app.getByRole('form', { name: 'New job' }).getByRole('status').filter({ hasText: 'Saved definition' })).toHaveText('Saved definition web in procdeck.yaml; restarted to take it');

    const text = readFileSync(file, 'utf8');
    expect(parse(text).jobs).toEqual({
      web: { command: ['sleep', '302'], autostart: true, gracePeriod: '12s', stdin: 'closed', readiness: { exec: 'true' } },
      other: { command: ['sleep', '301'] },
    });
    // The rest of the file, and the unchanged keys of web, with their comments.
    expect(text).toMatch(/^# our services\njobs:\n {2}web:\n {4}# what it serves\n {4}command: \[sleep, "302"\]\n/);
    expect(text).toContain('# nothing reads it');
    expect(text).toContain('command: [sleep, "301"] # left alone');
    const { jobs } = await hostCall(host, 'jobs.list', {});
    expect(jobs.find((job) => job.declared?.name === 'web')?.spec).toMatchObject({ command: { args: ['302'] }, graceMs: 12_000, stdin: 'closed' });

    await app.getByRole('button', { name: 'Config file' }).click();
    await expect(definitions(app).getByRole('listitem').filter({ hasText: 'web' })).toContainText('sleep 302');
    await expect(definitions(app).getByLabel('web', { exact: true })).toBeChecked();

    // Cancel edit: the form is a new job's again, and nothing was written.
    await definitions(app).getByRole('button', { name: 'Edit other' }).click();
    const before = readFileSync(file, 'utf8');
    await app.getByRole('form', { name: 'Edit definition' }).getByRole('button', { name: 'Cancel edit' }).click();
    const fresh = app.getByRole('form', { name: 'New job' });
    await expect(fresh.getByLabel('Command', { exact: true })).toHaveValue('');
    await expect(fresh.getByLabel('Name', { exact: true })).toBeEditable();
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, page);
});

test('Save as definition in the launch form writes a new definition under its Name without starting it; an empty or bad name is refused at Name', async ({ page }) => {
  await withOwnHost(async (app, host, dir) => {
    const file = join(dir, 'procdeck.yaml');
    writeFileSync(file, 'jobs:\n  web:\n    command: [sleep, "300"]\n');
    await hostCall(host, 'config.apply', { path: file });
    await app.getByRole('button', { name: 'New job', exact: true }).click();
    const form = app.getByRole('form', { name: 'New job' });
    await form.getByLabel('Command', { exact: true }).fill('echo nightly report');
    const saveAs = form.getByRole('button', { name: 'Save as definition' });

    await saveAs.click();
    await expect(form.getByLabel('Name', { exact: true })).toHaveAccessibleDescription('a definition needs a name: enter it in Name');
    await form.getByLabel('Name', { exact: true }).fill('nightly report!');
    await saveAs.click();
    await expect(form.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/a job name uses letters, digits/);
    await form.getByLabel('Name', { exact: true }).fill('web');
    await saveAs.click();
    await expect(form.getByText(`web is already defined in ${file}`)).toBeVisible();
    expect(readFileSync(file, 'utf8')).toBe('jobs:\n  web:\n    command: [sleep, "300"]\n');

    await form.getByLabel('Name', { exact: true }).fill('nightly');
    await saveAs.click();
    await expect(form.getByRole('status').filter({ hasText: 'Saved definition' })).toHaveText('Saved definition nightly in procdeck.yaml; not started');
    expect(parse(readFileSync(file, 'utf8')).jobs.nightly).toEqual({ command: 'echo nightly report', cwd: expect.any(String) });
    // Listed as a definition, not started; no job was started by clicking.
    await expect(jobRow(app, 'nightly').getByRole('gridcell').nth(1)).toContainText('skipped');
    const { jobs } = await hostCall(host, 'jobs.list', {});
    expect(jobs.map((job) => [job.name, job.runCount])).toEqual(expect.arrayContaining([['nightly', 0]]));
    expect(jobs.filter((job) => !job.declared)).toEqual([]);
  }, page);
});
