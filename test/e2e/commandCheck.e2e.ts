import type { Locator, Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';
import { hostCall } from './hostApi';

const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);
const form = (page: Page) => page.getByRole('form', { name: 'New job' });

/** The text fits its box: nothing runs off to the side (wrapped, or hidden behind a disclosure). */
async function expectWrapped(locator: Locator): Promise<void> {
  const { scrollWidth, clientWidth, right, formRight } = await locator.evaluate((element) => ({
    scrollWidth: element.scrollWidth,
    clientWidth: element.clientWidth,
    right: element.getBoundingClientRect().right,
    formRight: element.closest('form')!.getBoundingClientRect().right,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  expect(right).toBeLessThanOrEqual(formRight);
}

test('a shell typo is caught before it queues: a warning under Command, PATH on demand, and Start anyway runs it', async ({ app, host }) => {
  const name = uniqueName('typo');
  await launch(app, 'pyhton3 app.py', name);
  const warning = form(app).getByRole('alert').filter({ hasText: 'command not found: pyhton3' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('the shell may still define it');
  await expect(app.getByLabel('Command')).toHaveAttribute('aria-describedby', /launch-command-warning/);
  // Nothing was queued.
  expect((await hostCall(host, 'jobs.list', {})).jobs.some((job) => job.name === name)).toBe(false);

  // The PATH searched is there only when asked for, one directory a line.
  await expect(warning).not.toContainText('PATH=');
  await expectWrapped(warning);
  const showPath = warning.getByRole('button', { name: 'Show the PATH searched' });
  await expect(showPath).toHaveAttribute('aria-expanded', 'false');
  await showPath.click();
  const path = warning.getByRole('list', { name: 'PATH searched' });
  await expect(path.getByRole('listitem').filter({ hasText: /^\/usr\/bin$/ })).toHaveCount(1);
  await expectWrapped(warning);

  await warning.getByRole('button', { name: 'Start anyway' }).click();
  // It fails as the shell says, and the row says why without its log being opened.
  await expect(stateOf(app, name)).toContainText('exited (127)');
  await expect(jobRow(app, name).getByRole('gridcell').first()).toContainText(/pyhton3: (command )?not found/);
  await expect(warning).toBeHidden();
});

test('what the shell itself defines never warns: builtins, assignments, keywords, functions, words the shell expands', async ({ app }) => {
  const scripts = [
    'cd /tmp && pwd',
    'export GREETING=hi; echo $GREETING',
    '. /dev/null; echo sourced',
    'A=1 B=2 true',
    'for i in 1 2; do echo $i; done',
    'if true; then echo yes; fi',
    'greet() { echo hello; }; greet',
    '"$SHELL" -c true',
  ];
  for (const script of scripts) {
    const name = uniqueName('shell-ok');
    await launch(app, script, name);
    await expect(stateOf(app, name), script).toContainText('exited (0)');
    await expect(form(app).getByRole('alert'), script).toHaveCount(0);
  }
});

test('a program that is not found in Program mode: the error wraps and the PATH is behind a disclosure', async ({ app }) => {
  await app.getByRole('radio', { name: /Program/ }).check();
  try {
    await launch(app, 'no-such-program-e2e --flag', uniqueName('missing'));
    const error = form(app).getByRole('alert').filter({ hasText: 'command not found: no-such-program-e2e' });
    await expect(error).toBeVisible();
    await expect(error).not.toContainText('PATH=');
    await expectWrapped(error);
    await error.getByRole('button', { name: 'Show the PATH searched' }).click();
    await expect(error.getByRole('list', { name: 'PATH searched' }).getByRole('listitem').first()).toBeVisible();
    await expectWrapped(error);
  } finally {
    await app.getByRole('radio', { name: 'Shell' }).check();
  }
});
