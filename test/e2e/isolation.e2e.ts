import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';

/** The state cell (the row also holds a signal menu whose options name every signal). */
const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);
const launchForm = (page: Page) => page.getByRole('form', { name: 'New job' });
const limitRow = (table: Locator, label: string) =>
  table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: label, exact: true }) });

/** A TCP server on 127.0.0.1 (random port) that counts the connections it accepts. */
async function listeningServer(): Promise<{ server: Server; port: number; accepted: () => number }> {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    socket.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as AddressInfo).port, accepted: () => accepted };
}

/** Connects to the port and prints a marker only if it got through; a failed connect prints Python's error. */
const connectCommand = (port: number, marker: string) =>
  `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), 5); print('${marker}')"`;

test('Maximum: the limits in force are shown before launch, and the sandboxed job cannot reach a server on 127.0.0.1', async ({ app }) => {
  const { server, port, accepted } = await listeningServer();
  try {
    const form = launchForm(app);
    await form.getByLabel('Isolation', { exact: true }).selectOption('maximum');
    const limits = form.getByRole('region', { name: 'Limits in force' });
    const table = limits.getByRole('table');
    // The preset's values with what enforces each on this machine and where it falls short.
    await expect(limitRow(table, 'Memory')).toContainText('512 MiB');
    await expect(limitRow(table, 'Memory')).toContainText(/cgroup v[12]|RLIMIT_AS/);
    await expect(limitRow(table, 'CPU time')).toContainText('RLIMIT_CPU');
    await expect(limitRow(table, 'CPU time')).toContainText('Per process, not per tree');
    await expect(limitRow(table, 'Sandbox')).toContainText('bwrap');
    await expect(limits.getByRole('list', { name: 'Maximum guarantees' })).toContainText('No network');

    // An override replaces the preset's value in the table as it is typed.
    await form.getByRole('button', { name: 'Limit overrides' }).click();
    await form.getByLabel('Memory (MiB)', { exact: true }).fill('256');
    await expect(limitRow(table, 'Memory')).toContainText('256 MiB');

    const marker = 'REACHED-THE-SERVER';
    const name = uniqueName('sandboxed-net');
    await launch(app, connectCommand(port, marker), name);
    const row = jobRow(app, name);
    await expect(row).toContainText('Maximum');
    await expect(stateOf(app, name)).toContainText('exited (1)', { timeout: 30_000 });
    await row.click();
    const log = app.getByRole('region', { name: 'Log' });
    await expect(log).toContainText(/Connection refused|Network is unreachable|ConnectionRefusedError|OSError/);
    await expect(log).not.toContainText(marker);
    expect(accepted()).toBe(0);

    // The selected job's details: the limits that were in force for its run.
    await app.getByRole('tab', { name: 'Limits', exact: true }).click();
    const jobLimits = app.getByRole('region', { name: 'Job limits' });
    await expect(jobLimits).toContainText('Isolation: Maximum');
    await expect(limitRow(jobLimits.getByRole('table'), 'Memory')).toContainText('256 MiB');
    await expect(limitRow(jobLimits.getByRole('table'), 'Sandbox')).toContainText('bwrap');

    // The same command outside the sandbox does reach the server: the refusal was the sandbox's.
    await form.getByLabel('Isolation', { exact: true }).selectOption('none');
    const control = uniqueName('unsandboxed-net');
    await launch(app, connectCommand(port, marker), control);
    await expect(stateOf(app, control)).toContainText('exited (0)', { timeout: 30_000 });
    await jobRow(app, control).click();
    await expect(log).toContainText(marker);
    await expect.poll(accepted).toBe(1);
  } finally {
    server.close();
  }
});

test('a program denied in Settings is refused with the rule named; shell jobs are refused under a deny list until allowed, then checked by their shell', async ({ app, host }) => {
  const settingsButton = app.getByRole('button', { name: 'Settings', exact: true });
  const dialog = app.getByRole('dialog', { name: 'Settings' });
  const allowShellJobs = dialog.getByRole('checkbox', { name: 'Allow shell jobs while a deny list is in force' });
  await settingsButton.click();
  await expect(dialog.getByRole('list', { name: 'What this machine enforces' })).toContainText('bubblewrap');
  // Where the operator sets the policy, the one line on what it is worth.
  await expect(dialog).toContainText('A deny list is a guard rail; the allowlist plus Maximum isolation is the boundary.');
  const original = {
    level: await dialog.getByLabel('Default isolation', { exact: true }).inputValue(),
    allow: await dialog.getByLabel('Allowed programs', { exact: true }).inputValue(),
    deny: await dialog.getByLabel('Denied programs', { exact: true }).inputValue(),
    shellJobs: await allowShellJobs.isChecked(),
  };
  try {
    await dialog.getByLabel('Default isolation', { exact: true }).selectOption('basic');
    await dialog.getByLabel('Denied programs', { exact: true }).fill('seq');
    await expect(allowShellJobs).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();

    // The launch form starts with the default level from the settings.
    const form = launchForm(app);
    await expect(form.getByLabel('Isolation', { exact: true })).toHaveValue('basic');

    await form.getByRole('radio', { name: 'Program + arguments', exact: true }).check();
    await launch(app, 'seq 3', uniqueName('denied'));
    const error = form.getByRole('alert').filter({ hasText: 'command policy' });
    await expect(error).toContainText('denied by the rule "seq"');
    await expect(form.getByLabel('Command', { exact: true })).toHaveAttribute('aria-invalid', 'true');

    // Through a launcher: checked against what it runs.
    await launch(app, 'timeout 5 seq 3', uniqueName('denied-timeout'));
    await expect(error).toContainText('run by timeout, is denied by the rule "seq"');

    // A shell could run seq anyway: refused, and the form says why and where to allow it.
    await form.getByRole('radio', { name: 'Shell', exact: true }).check();
    await launch(app, 'seq 3', uniqueName('shell-refused'));
    await expect(error).toContainText('shells are refused while a deny list is in force');
    await expect(error).toContainText('allow them in Settings (Command policy)');

    await settingsButton.click();
    await allowShellJobs.check();
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();

    // Allowed: the shell is checked, not the script, and the job says so.
    const name = uniqueName('shell-seq');
    await launch(app, 'seq 3', name);
    await expect(stateOf(app, name)).toContainText('exited (0)');
    await expect(jobRow(app, name)).toContainText('Basic');
    await jobRow(app, name).click();
    await app.getByRole('tab', { name: 'Limits', exact: true }).click();
    await expect(app.getByRole('region', { name: 'Job limits' }).getByRole('list', { name: 'Warnings' })).toContainText(
      'only the shell',
    );
  } finally {
    // Back to the settings the other tests expect, through the same dialog (a fresh page, whatever state this one is in).
    await app.goto(host.url);
    await expect(app.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
    await settingsButton.click();
    await dialog.getByLabel('Default isolation', { exact: true }).selectOption(original.level);
    await dialog.getByLabel('Allowed programs', { exact: true }).fill(original.allow);
    await dialog.getByLabel('Denied programs', { exact: true }).fill(original.deny);
    await allowShellJobs.setChecked(original.shellJobs);
    await dialog.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect(dialog).toBeHidden();
  }
});
