import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './browserHost';

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
