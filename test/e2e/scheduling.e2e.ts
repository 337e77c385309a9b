import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';
import { within } from './deadlines';
import { cpusAllowedList, groupMembers, niceOf } from './procfs';

/** The state cell (the row also holds a signal menu whose options name every signal). */
const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

async function pidOf(page: Page, name: string): Promise<number> {
  const cell = jobRow(page, name).getByRole('gridcell').nth(2);
  await expect(cell).toHaveText(/^\d+$/);
  return Number(await cell.textContent());
}

const newJobForm = (page: Page) => page.getByRole('form', { name: 'New job' });

async function openMoreOptions(page: Page): Promise<Locator> {
  const form = newJobForm(page);
  const toggle = form.getByRole('button', { name: 'More options' });
  // Read-then-click once lost a race in CI (the section was folded when its field was looked
  // for, 120 s later): open it until its fields are there, each pass acting on what it sees.
  await expect(async () => {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(form.getByLabel('Restart policy', { exact: true })).toBeVisible({ timeout: 2000 });
  }).toPass();
  return form;
}

async function showTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** Stops a job from its row and waits until no process of its group is left. */
async function stopAndReap(page: Page, name: string, pgid: number): Promise<void> {
  await jobRow(page, name).getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(stateOf(page, name)).toContainText('stopped');
  await expect.poll(() => groupMembers(pgid)).toEqual([]);
}

/** Every live process of the group, once the whole tree (at least `count` processes) is there. */
function membersOnceStarted(pgid: number, count: number): Promise<number[]> {
  return expect
    .poll(() => groupMembers(pgid).length)
    .toBeGreaterThanOrEqual(count)
    .then(() => groupMembers(pgid));
}

test('a batch runs within its limit, finishes with one failure, and Retry failed reruns only that item', async ({ app }) => {
  const scratch = mkdtempSync(join(tmpdir(), 'procdeck-e2e-batch-'));
  const marker = join(scratch, 'second-try');
  try {
    const name = uniqueName('batch');
    // Five quick successes and one item that fails the first time only (it leaves a marker).
    const lines = [
      'sleep 0.3; exit 0',
      'sleep 0.3; exit 0',
      `sleep 0.3; if [ -e '${marker}' ]; then exit 0; fi; touch '${marker}'; exit 3`,
      'sleep 0.3; echo item-output',
      'sleep 0.3; exit 0',
      'sleep 0.3; exit 0',
    ];
    await showTab(app, 'Batches');
    const batches = app.getByRole('region', { name: 'Batches' });
    await batches.getByRole('button', { name: 'New batch' }).click();
    const dialog = app.getByRole('dialog', { name: 'New batch' });
    await dialog.getByLabel('Commands', { exact: true }).fill(lines.join('\n'));
    await dialog.getByLabel('Concurrency limit', { exact: true }).fill('2');
    await dialog.getByLabel('Batch name', { exact: true }).fill(name);
    await dialog.getByRole('button', { name: 'Submit batch' }).click();
    await expect(dialog).toBeHidden();

    const bar = batches.getByRole('progressbar', { name: `Progress of ${name}` });
    await expect(bar).toHaveAttribute('aria-valuemax', '6');
    // Watch the bar until every item has finished: never more than the limit running at once.
    let mostRunning = 0;
    await expect
      .poll(
        async () => {
          const text = (await bar.getAttribute('aria-valuetext')) ?? '';
          mostRunning = Math.max(mostRunning, Number(/(\d+) running/.exec(text)?.[1] ?? 0));
          return Number(await bar.getAttribute('aria-valuenow'));
        },
        { timeout: 30_000 },
      )
      .toBe(6);
    expect(mostRunning).toBeLessThanOrEqual(2);

    const batch = batches.getByRole('listitem', { name });
    await expect(batch).toContainText('5 done');
    await expect(batch).toContainText('1 failed');
    await expect(batch).toContainText('finished in');

    await batch.getByRole('button', { name: 'Show results' }).click();
    const results = batch.getByRole('table', { name: `Results of ${name}` });
    await expect(results.getByRole('row')).toHaveCount(7);
    // Failures first: the third item, with its exit code.
    const firstItem = results.getByRole('row').nth(1).getByRole('cell');
    await expect(firstItem.nth(0)).toHaveText('3');
    await expect(firstItem.nth(2)).toHaveText('3');
    const echoItem = results.getByRole('row').filter({ hasText: 'item-output' }).getByRole('cell');
    await expect(echoItem.nth(4)).toHaveText('12 B');

    await batch.getByRole('button', { name: 'Retry failed' }).click();
    await expect(batch).toContainText('6 done', within(300));
    await expect(batch).toContainText('0 failed');
    await expect(bar).toHaveAttribute('aria-valuenow', '6');
    await expect(batch.getByRole('button', { name: 'Retry failed' })).toBeDisabled();
    await expect(results.getByRole('row').nth(1).getByRole('cell').nth(2)).toHaveText('0');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('pin a running job tree to core 1 and renice it from the CPU panel', async ({ app }) => {
  test.skip(cpus().length < 2, 'needs at least two cores');
  const name = uniqueName('pin');
  await launch(app, 'sleep 300 & sleep 300 & wait', name);
  await expect(stateOf(app, name)).toContainText('running');
  const pgid = await pidOf(app, name);
  const members = await membersOnceStarted(pgid, 3);

  await jobRow(app, name).click();
  await showTab(app, 'CPU');
  const cpu = app.getByRole('region', { name: 'CPU cores' });
  const core0 = cpu.getByRole('checkbox', { name: 'Core 0', exact: true });
  const core1 = cpu.getByRole('checkbox', { name: 'Core 1', exact: true });
  await expect(core0).toBeEnabled();
  await expect(core0).toBeChecked();
  await core0.uncheck();
  await core1.check();
  await cpu.getByRole('button', { name: 'Apply affinity' }).click();

  // The UI shows what /proc reports for the job's root…
  await expect(cpu.getByRole('status')).toHaveText(`${name} may run on core 1`);
  await expect(core1).toBeChecked();
  await expect(core0).not.toBeChecked();
  // The pinned-jobs column: the job is listed under core 1 only.
  const coreRow = (core: number) => cpu.getByRole('row').filter({ has: app.getByRole('checkbox', { name: `Core ${core}`, exact: true }) });
  await expect(coreRow(1)).toContainText(name);
  await expect(coreRow(0)).not.toContainText(name);
  // …and every process of the tree is pinned, not just the root.
  await expect.poll(() => members.map(cpusAllowedList)).toEqual(members.map(() => '1'));

  const nice = cpu.getByRole('spinbutton', { name: 'Nice' });
  await nice.fill('7');
  await cpu.getByRole('button', { name: 'Apply nice' }).click();
  await expect(cpu).toContainText('in force: 7');
  await expect.poll(() => members.map(niceOf)).toEqual(members.map(() => 7));

  await stopAndReap(app, name, pgid);
});

test('launch options: a bad restart policy is shown at its field; fixed affinity and nice apply at launch', async ({ app }) => {
  const form = await openMoreOptions(app);
  await form.getByLabel('Restart policy', { exact: true }).selectOption('on-failure');
  await form.getByLabel('First delay (s)', { exact: true }).fill('10');
  await form.getByLabel('Maximum delay (s)', { exact: true }).fill('1');
  await launch(app, 'sleep 300', uniqueName('bad-policy'));
  const maxDelay = form.getByLabel('Maximum delay (s)', { exact: true });
  await expect(maxDelay).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert').filter({ hasText: 'maximum delay' })).toHaveText('maximum delay must not be below the initial delay');

  await form.getByLabel('Restart policy', { exact: true }).selectOption('never');
  await form.getByRole('radio', { name: 'Fixed', exact: true }).check();
  await form.getByRole('checkbox', { name: 'Core 0', exact: true }).check();
  await form.getByLabel('Nice', { exact: true }).fill('5');
  const name = uniqueName('pinned-at-launch');
  await launch(app, 'sleep 300 & sleep 300 & wait', name);
  await expect(stateOf(app, name)).toContainText('running');
  await expect(form.getByRole('alert').filter({ hasText: 'maximum delay' })).toHaveCount(0);
  const pgid = await pidOf(app, name);
  const members = await membersOnceStarted(pgid, 3);
  await expect.poll(() => members.map(cpusAllowedList)).toEqual(members.map(() => '0'));
  await expect.poll(() => members.map(niceOf)).toEqual(members.map(() => 5));

  await jobRow(app, name).click();
  await showTab(app, 'CPU');
  const cpu = app.getByRole('region', { name: 'CPU cores' });
  await expect(cpu.getByRole('status')).toHaveText(`${name} may run on core 0`);
  await expect(cpu).toContainText('in force: 5');

  await stopAndReap(app, name, pgid);
});

test('a crashing job restarts after its backoff delay, then ends crash-looping with the reason; manual restarts count apart', async ({ app }) => {
  const form = await openMoreOptions(app);
  await form.getByLabel('Restart policy', { exact: true }).selectOption('on-failure');
  await form.getByLabel('First delay (s)', { exact: true }).fill('3');
  await form.getByLabel('Backoff factor', { exact: true }).fill('1');
  await form.getByLabel('Maximum delay (s)', { exact: true }).fill('3');
  await form.getByLabel('Max restarts', { exact: true }).fill('1');
  const name = uniqueName('crasher');
  await launch(app, 'exit 4', name);

  const state = stateOf(app, name);
  await expect(state).toContainText('restart pending');
  await expect(state).toContainText(/restarting at \d\d:\d\d:\d\d/);
  await expect(state).toContainText('↻ 1 (exit code 4)');
  await expect(state).toContainText('crash-looping', within(3000));
  await expect(state).toContainText('giving up');
  await expect(state).toHaveAttribute('title', /1 automatic restart; 0 manual/);

  await jobRow(app, name).getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(state).toHaveAttribute('title', /1 automatic restart; 1 manual/);
  await expect(state).toContainText('crash-looping');
});

test('a group limit and a paused queue hold jobs as queued; a failed dependency skips its dependant', async ({ app }) => {
  const group = uniqueName('pool');
  const form = await openMoreOptions(app);
  await form.getByLabel('Group', { exact: true }).fill(group);
  const first = uniqueName('first');
  await launch(app, 'sleep 300', first);
  await expect(stateOf(app, first)).toContainText('running');
  const firstPgid = await pidOf(app, first);

  await showTab(app, 'Groups');
  const groups = app.getByRole('region', { name: 'Groups' });
  const row = groups.getByRole('row').filter({ hasText: group });
  await expect(row.getByRole('cell').nth(0)).toHaveText('1'); // running
  await row.getByRole('spinbutton', { name: `Limit of ${group}` }).fill('1');
  await row.getByRole('button', { name: 'Set limit' }).click();
  await expect(groups.getByRole('row').filter({ hasText: group }).getByRole('spinbutton')).toHaveValue('1');

  const second = uniqueName('second');
  await launch(app, 'sleep 300', second);
  await expect(stateOf(app, second)).toContainText('queued #1');
  // Why it waits, in its row, from the scheduler's own state.
  await expect(stateOf(app, second)).toContainText(`group ${group}: 1 of 1 running`);
  await groups.getByRole('row').filter({ hasText: group }).getByRole('button', { name: 'Pause queue' }).click();
  await expect(groups.getByRole('row').filter({ hasText: group })).toContainText('queue paused');
  await expect(stateOf(app, second)).toContainText(`group ${group} is paused`);

  // With the slot free but the queue paused, the second job keeps waiting.
  await stopAndReap(app, first, firstPgid);
  await expect(groups.getByRole('row').filter({ hasText: group }).getByRole('cell').nth(0)).toHaveText('0');
  await expect(stateOf(app, second)).toContainText('queued #1');
  await groups.getByRole('row').filter({ hasText: group }).getByRole('button', { name: 'Resume queue' }).click();
  await expect(stateOf(app, second)).toContainText('running');
  await expect(stateOf(app, second)).not.toContainText(`group ${group}`);
  const secondPgid = await pidOf(app, second);

  await form.getByLabel('Group', { exact: true }).fill('');
  const failing = uniqueName('failing');
  await launch(app, 'exit 1', failing);
  await expect(stateOf(app, failing)).toContainText('exited (1)');
  const dependsOn = form.getByLabel('Depends on', { exact: true });
  const option = dependsOn.getByRole('option', { name: failing });
  await dependsOn.selectOption((await option.getAttribute('value'))!);
  const dependant = uniqueName('dependant');
  await launch(app, 'echo should not run', dependant);
  await expect(stateOf(app, dependant)).toContainText('skipped');
  await expect(stateOf(app, dependant)).toContainText(`dependency ${failing}`);

  await stopAndReap(app, second, secondPgid);
});
