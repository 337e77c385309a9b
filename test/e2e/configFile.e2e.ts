import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { parse } from 'yaml';
import { expect, jobRow, test, uniqueName } from './browserHost';

const SMALL = { width: 1024, height: 700 };

const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);
const configDialog = (page: Page) => page.getByRole('dialog', { name: 'Config file' });
const banner = (page: Page) => page.getByLabel('Config file changed');

/** As editors save: a new file renamed over the old one. */
function save(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

const service = (name: string, seconds: number, extra = '') => `  ${name}:\n    command: [sleep, "${seconds}"]\n    autostart: true\n${extra}`;

test.describe('at 1024×700', () => {
  test.use({ viewport: SMALL });

  test('a config file from the UI: show changes, apply, an edit on disk, a bad file, export', async ({ app }) => {
    const web = uniqueName('web');
    const worker = uniqueName('worker');
    const path = join(mkdtempSync(join(tmpdir(), 'pdk-e2e-cfgui-')), 'procdeck.yaml');
    save(path, `jobs:\n${service(web, 300)}`);

    // From the keyboard: the top bar's button, the path, Enter shows the changes.
    await app.getByRole('button', { name: 'Config file' }).focus();
    await app.keyboard.press('Enter');
    const dialog = configDialog(app);
    await expect(dialog.getByLabel('Path')).toBeFocused();
    await app.keyboard.type(path);
    await app.keyboard.press('Enter');
    await expect(dialog.getByRole('list', { name: 'Added' }).getByRole('listitem')).toHaveText([web]);
    await expect(dialog.getByRole('status')).toContainText(`${path}: 1 added, 0 changed`);
    const box = await dialog.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(SMALL.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(SMALL.height);
    // Shown, not applied.
    await expect(jobRow(app, web)).toHaveCount(0);
    await app.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Show changes' })).toBeFocused();
    await app.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Apply' })).toBeFocused();
    await app.keyboard.press('Enter');
    await expect(dialog.getByRole('status')).toContainText(`Applied ${path}: 1 added`);
    await expect(dialog.getByRole('status')).toContainText(`started ${web}`);
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(stateOf(app, web)).toContainText('running');

    // Edited on disk: a banner with the counts; nothing applied until the operator applies.
    save(path, `jobs:\n${service(web, 301)}${service(worker, 300)}`);
    await expect(banner(app)).toHaveText(/^procdeck\.yaml changed on disk: 1 added, 1 changed, 0 removed — Review/);
    await expect(jobRow(app, worker)).toHaveCount(0);
    await banner(app).getByRole('button', { name: 'Review' }).click();
    await expect(dialog.getByRole('list', { name: 'Added' }).getByRole('listitem')).toHaveText([worker]);
    await expect(dialog.getByRole('list', { name: 'Changed' }).getByRole('listitem')).toHaveText([`${web}: command (restarts if running)`]);
    await expect(dialog.getByLabel('Path')).toHaveValue(path);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog.getByRole('status')).toContainText(`restarted ${web}`);
    await expect(stateOf(app, worker)).toContainText('running');
    await expect(banner(app)).toBeHidden();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // A bad file: its errors at file:line:column, with role alert, and nothing changes.
    save(path, `jobs:\n${service(web, 301)}    readyness: { tcp: "127.0.0.1:1" }\n${service(worker, 300)}    dependsOn: { nope: started }\n`);
    await expect(banner(app)).toContainText('procdeck.yaml changed on disk and does not load: 2 errors; the definitions in force stay');
    await banner(app).getByRole('button', { name: 'Review' }).click();
    const errors = dialog.getByRole('alert').getByRole('list', { name: 'Errors' }).getByRole('listitem');
    await expect(errors).toHaveText([`${path}:5:5: jobs.${web}.readyness: unknown key "readyness" (did you mean "readiness"?)`, new RegExp(`^${literal(path)}:9:\\d+: .*"nope"`)]);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog.getByRole('alert')).toContainText(`${path} was not loaded (2 errors; nothing changed)`);
    await expect(errors.first()).toHaveText(new RegExp(`^${literal(path)}:5:5: `));
    await dialog.getByRole('button', { name: 'Show changes' }).click();
    await expect(errors).toHaveCount(2);
    await expect(stateOf(app, web)).toContainText('running');
    await expect(stateOf(app, worker)).toContainText('running');

    // Export: the YAML of the definitions in force (the good ones), downloaded as procdeck.yaml.
    await dialog.getByRole('button', { name: 'Export definitions' }).click();
    const exported = dialog.getByLabel('Exported definitions (YAML)');
    await expect(exported).toHaveValue(new RegExp(`${worker}:`));
    const download = app.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('procdeck.yaml');
    const text = readFileSync(await file.path(), 'utf8');
    expect(text).toBe(await exported.inputValue());
    const parsed = parse(text) as { jobs: Record<string, { command: unknown; autostart?: boolean }> };
    expect(parsed.jobs[web]).toMatchObject({ command: ['sleep', '301'], autostart: true });
    expect(parsed.jobs[worker]).toMatchObject({ command: ['sleep', '300'], autostart: true });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });
});

test('an edit while the dialog is open is offered; Copy puts the exported YAML on the clipboard', async ({ app, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const name = uniqueName('copied');
  const path = join(mkdtempSync(join(tmpdir(), 'pdk-e2e-cfgui-')), 'procdeck.yaml');
  save(path, `jobs:\n  ${name}:\n    command: [sleep, "300"]\n`);
  await app.getByRole('button', { name: 'Config file' }).click();
  const dialog = configDialog(app);
  await dialog.getByLabel('Path').fill(path);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByRole('status')).toContainText(`Applied ${path}`);
  // Edited while the dialog is open: offered, not put in place of what the operator looks at.
  save(path, `jobs:\n  ${name}:\n    command: [sleep, "301"]\n`);
  await dialog.getByRole('button', { name: 'Show what changed' }).click();
  await expect(dialog.getByRole('list', { name: 'Changed' }).getByRole('listitem')).toHaveText([`${name}: command (restarts if running)`]);
  await expect(dialog.getByRole('button', { name: 'Show what changed' })).toBeHidden();
  await dialog.getByRole('button', { name: 'Export definitions' }).click();
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Copied to the clipboard.');
  const copied = await app.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await dialog.getByLabel('Exported definitions (YAML)').inputValue());
  expect(Object.keys((parse(copied) as { jobs: object }).jobs)).toContain(name);
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
