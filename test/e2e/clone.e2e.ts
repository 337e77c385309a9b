import type { Page } from '@playwright/test';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import type { JobSpecInput } from '../../shared/jobSpec';
import { expect, jobRow, test, uniqueName, type BrowserHost } from './browserHost';
import { hostCall } from './hostApi';

const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

async function jobNamed(host: BrowserHost, name: string): Promise<JobSnapshot | undefined> {
  const { jobs } = await hostCall(host, 'jobs.list', {});
  return jobs.find((job) => job.name === name);
}

/** A job started with options in every part of the form, plus two the form cannot hold (a dependency, stdin closed). */
async function startOriginal(host: BrowserHost, name: string, dependencyName: string): Promise<JobSnapshot> {
  const { job: dependency } = await hostCall(host, 'jobs.start', { spec: { name: dependencyName, command: { kind: 'shell', script: 'true' } } });
  const spec: JobSpecInput = {
    name,
    command: { kind: 'shell', script: 'echo "$GREETING from $(pwd)"; sleep 300' },
    cwd: '/tmp',
    env: { mode: 'inherit', set: { GREETING: 'hello-clone', SECOND: 'two words' } },
    timeoutMs: 600_000,
    group: 'clones',
    priority: 3,
    nice: 4,
    restart: { when: 'on-failure', initialDelayMs: 2000, factor: 2, maxDelayMs: 60_000, maxRestarts: 5, windowMs: 600_000, minUptimeMs: 5000 },
    mergeStderr: true,
    alerts: [{ id: 'cpu-high', kind: 'cpu', percent: 95, forSeconds: 30, action: 'notify' }],
    dependsOn: [dependency.id],
    stdin: 'closed',
  };
  const { job } = await hostCall(host, 'jobs.start', { spec });
  return job;
}

test('Clone fills the launch form from a job; nothing starts until Start; the new job runs with the same spec', async ({ app, host }) => {
  const name = uniqueName('orig');
  const dependencyName = uniqueName('first');
  const original = await startOriginal(host, name, dependencyName);
  await expect(stateOf(app, name)).toContainText('running');

  // The row's one more button still fits: the grid does not scroll sideways.
  const grid = app.getByRole('grid', { name: 'Jobs' });
  expect(await grid.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);

  await jobRow(app, name).getByRole('button', { name: 'Clone into the launch form' }).click();
  const form = app.getByRole('form', { name: 'New job' });
  await expect(form.getByLabel('Command', { exact: true })).toHaveValue('echo "$GREETING from $(pwd)"; sleep 300');
  await expect(form.getByLabel('Shell', { exact: true })).toBeChecked();
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue(`${name} copy`);
  await expect(form.getByLabel('Working directory', { exact: true })).toHaveValue('/tmp');
  await expect(form.getByLabel('Environment', { exact: true })).toHaveValue('GREETING=hello-clone\nSECOND=two words');
  await expect(form.getByLabel('Timeout (s)', { exact: true })).toHaveValue('600');
  await expect(form.getByLabel('Group', { exact: true })).toHaveValue('clones');
  await expect(form.getByLabel('Priority', { exact: true })).toHaveValue('3');
  await expect(form.getByLabel('Nice', { exact: true })).toHaveValue('4');
  await expect(form.getByLabel('Restart policy', { exact: true })).toHaveValue('on-failure');
  await expect(form.getByLabel('Merge stderr into stdout (exact line order)', { exact: true })).toBeChecked();
  const note = form.getByRole('note', { name: 'Cloned job' });
  await expect(note).toContainText(`Filled from ${name}`);
  await expect(note).toContainText(`Not copied: depends on ${dependencyName}; stdin closed.`);
  // Filling the form started nothing.
  expect(await jobNamed(host, `${name} copy`)).toBeUndefined();

  const cloneName = uniqueName('clone');
  await form.getByLabel('Name', { exact: true }).fill(cloneName);
  await form.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(stateOf(app, cloneName)).toContainText('running');
  await jobRow(app, cloneName).click();
  await expect(app.getByRole('region', { name: 'Log' })).toContainText('hello-clone from /tmp');

  const clone = await jobNamed(host, cloneName);
  expect(clone, 'the clone is listed by the host').toBeDefined();
  // The same spec, but for its name and what the note said was not copied.
  expect(clone!.spec).toEqual({ ...original.spec, name: cloneName, dependsOn: [], stdin: 'pipe' });
  await expect(note).toBeHidden();
});

test.describe('at 1024×700', () => {
  test.use({ viewport: { width: 1024, height: 700 } });

  test('Clone from the keyboard (c) and from the row menu opens the folded form filled, and the help lists it', async ({ app, host }) => {
    const name = uniqueName('keys');
    await hostCall(host, 'jobs.start', { spec: { name, command: { kind: 'argv', program: 'sleep', args: ['300'] }, group: 'kb' } });
    await expect(stateOf(app, name)).toContainText('running');
    await jobRow(app, name).getByRole('gridcell').first().click();
    await app.keyboard.press('c');
    const form = app.getByRole('form', { name: 'New job' });
    await expect(form).toBeVisible();
    await expect(form.getByLabel('Command', { exact: true })).toBeFocused();
    await expect(form.getByLabel('Command', { exact: true })).toHaveValue('sleep 300');
    await expect(form.getByLabel('Program + arguments', { exact: true })).toBeChecked();
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue(`${name} copy`);
    await expect(form.getByRole('note', { name: 'Cloned job' })).not.toContainText('Not copied');
    const box = await form.getByRole('button', { name: 'Start', exact: true }).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(1024);
    await app.keyboard.press('Escape');
    await expect(form).toBeHidden();
    expect(await jobNamed(host, `${name} copy`)).toBeUndefined();

    await jobRow(app, name).getByRole('button', { name: 'Actions' }).click();
    const item = app.getByRole('menu', { name: `Actions for ${name}` }).getByRole('menuitem', { name: 'Clone into the launch form' });
    const itemBox = await item.boundingBox();
    expect(itemBox && itemBox.y + itemBox.height, 'the menu item is inside the window').toBeLessThanOrEqual(700);
    await item.click();
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue(`${name} copy`);
    await app.keyboard.press('Escape');

    await app.keyboard.press('?');
    await expect(app.getByRole('dialog', { name: /shortcuts/i })).toContainText('Clone into the launch form');
  });
});
