import type { Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';
import { GRACE_MS, SAMPLE_MS, within } from './deadlines';

const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);
const form = (page: Page) => page.getByRole('form', { name: 'New job' });

async function openAlertRules(page: Page) {
  const toggle = form(page).getByRole('button', { name: 'Alert rules' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  return form(page).getByRole('group', { name: 'Add alert rule' });
}

test('alert rules set in the launch form watch the job from its start; the banner and the history name the job', async ({ app }) => {
  const rules = await openAlertRules(app);
  await rules.getByLabel('Rule', { exact: true }).selectOption('memory');
  await rules.getByLabel('Threshold (MiB)').fill('16');
  await rules.getByLabel('For (seconds)').fill('0');
  await rules.getByLabel('Action', { exact: true }).selectOption('stop');
  // Enter in a rule's field adds the rule; it does not start the job.
  await rules.getByLabel('Threshold (MiB)').press('Enter');
  await expect(form(app).getByRole('listitem').filter({ hasText: 'Memory above 16 MiB' })).toContainText('Stop');

  const name = uniqueName('hog');
  // About 48 MiB resident, held until stopped.
  await launch(app, `'${process.execPath}' -e 'const b = Buffer.alloc(48 * 1024 * 1024, 1); setInterval(() => b[0]++, 500)'`, name);
  // Stopped by its rule: a stop, in the rows' words (not "killed").
  await expect(stateOf(app, name)).toContainText('stopped', within(SAMPLE_MS + GRACE_MS));

  // The banner says which job, in the units the rule was written in.
  const banner = app.getByRole('list', { name: 'Notices' }).getByRole('status').filter({ hasText: name });
  await expect(banner).toContainText(new RegExp(`^Alert: ${name}: memory \\d+(\\.\\d+)? MiB above 16 MiB; stopping it`));
  await jobRow(app, name).click();
  await app.getByRole('tab', { name: 'Monitor', exact: true }).click();
  const history = app.getByRole('region', { name: 'Job alerts' }).getByRole('table', { name: 'Alert history' });
  await expect(history.getByRole('row').filter({ hasText: 'Memory above 16 MiB' }).first()).toHaveAttribute('title', new RegExp(`^${name}: memory`));
  await banner.getByRole('button', { name: 'Dismiss' }).click();

  // Rules stay in the form for the next job; Remove takes one out.
  await openAlertRules(app);
  await form(app).getByRole('button', { name: 'Remove rule Memory above 16 MiB' }).click();
  await expect(form(app).getByText('No rules yet', { exact: false })).toBeVisible();
});

test('1500 MiB reads 1500 MiB everywhere: the rule in the form and in the Monitor tab, and a memory limit of that size', async ({ app }) => {
  // The limit in force is described by the engine, in the same units as the UI's own figures.
  await form(app).getByLabel('Isolation', { exact: true }).selectOption('basic');
  await form(app).getByRole('button', { name: 'Limit overrides' }).click();
  await form(app).getByLabel('Memory (MiB)', { exact: true }).fill('1500');
  const memoryLimit = form(app).getByRole('region', { name: 'Limits in force' }).getByRole('row').filter({ hasText: 'Memory' });
  await expect(memoryLimit).toContainText('1500 MiB');
  await form(app).getByLabel('Memory (MiB)', { exact: true }).fill('');
  await form(app).getByLabel('Isolation', { exact: true }).selectOption('none');

  const rules = await openAlertRules(app);
  await rules.getByLabel('Rule', { exact: true }).selectOption('memory');
  await rules.getByLabel('Threshold (MiB)').fill('1500');
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await expect(form(app).getByRole('listitem').filter({ hasText: 'Memory above 1500 MiB' })).toBeVisible();
  const name = uniqueName('threshold');
  await launch(app, 'sleep 300', name);
  await expect(stateOf(app, name)).toContainText('running');
  await jobRow(app, name).click();
  await app.getByRole('tab', { name: 'Monitor', exact: true }).click();
  await expect(app.getByRole('region', { name: 'Alert rules' }).getByRole('listitem')).toHaveText(/^Memory above 1500 MiB/);
  await jobRow(app, name).getByRole('button', { name: 'Stop' }).click();
  await form(app).getByRole('button', { name: 'Remove rule Memory above 1500 MiB' }).click();
});
