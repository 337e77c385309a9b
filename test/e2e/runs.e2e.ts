import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { jobRow, launch, uniqueName } from './browserHost';
import { pageScrollWidth } from './hostApi';
import { test } from './restartableHost';

const connection = (page: Page) => page.getByRole('status').filter({ hasText: /Connected|Disconnected|Connecting|Access token/ });
const logOf = (page: Page) => page.getByRole('region', { name: 'Log' });
const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

test('a past run’s log opens from the Runs tab after a real host restart, says which run it is, takes no live output, and goes back to the latest run', async ({ page, restartable }) => {
  const counterDir = mkdtempSync(join(tmpdir(), 'procdeck-runs-'));
  try {
    await page.goto(restartable.first.url);
    await expect(connection(page)).toHaveText('Connected');
    const name = uniqueName('numbered');
    // Each run prints its number; the third (after the restart) goes on printing ticks.
    const counter = join(counterDir, 'n');
    await launch(
      page,
      `n=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 )); echo $n > ${counter}; echo "this is run $n"; ` +
        `if [ $n -ge 3 ]; then while :; do echo "tick of run $n"; sleep 0.1; done; fi; sleep 300`,
      name,
    );
    await jobRow(page, name).click();
    await expect(logOf(page)).toContainText('this is run 1');
    await jobRow(page, name).getByRole('button', { name: 'Restart' }).click();
    await expect(logOf(page)).toContainText('this is run 2');

    await restartable.restart();
    await expect(connection(page)).toHaveText('Connected');
    await expect(stateOf(page, name)).toContainText('stopped');
    await jobRow(page, name).getByRole('button', { name: 'Restart' }).click();
    await expect(logOf(page)).toContainText('tick of run 3');

    // The smallest window Procdeck is made for (the launch form is folded there), and from the keyboard: the tab list's arrows reach Runs.
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('tab', { name: 'Charts' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Runs' })).toHaveAttribute('aria-selected', 'true');
    const runs = page.getByRole('table', { name: `Runs of ${name}` });
    await expect(runs.getByRole('row')).toHaveCount(4); // the header and runs 3, 2, 1, newest first
    const rows = runs.getByRole('row');
    await expect(rows.nth(1)).toContainText('running');
    await expect(rows.nth(2)).toContainText('stopped');
    await expect(rows.nth(2)).toContainText('stopped when Procdeck shut down');
    await expect(rows.nth(3)).toContainText('stopped');
    await expect(runs.getByRole('button', { name: 'Show the log of run #3 (the latest)' })).toHaveAttribute('aria-pressed', 'true');
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(1024);

    const first = runs.getByRole('button', { name: 'Show the log of run #1' });
    await first.focus();
    await page.keyboard.press('Enter');
    const log = logOf(page);
    await expect(log.getByRole('status').filter({ hasText: 'Showing run #1' })).toHaveText(/^Showing run #1, ended .+ \(stopped\): not the latest run\.$/);
    await expect(first).toHaveAttribute('aria-pressed', 'true');
    // Read from its file by the engine that started after it: all of it, and nothing of run 3.
    await expect(log.getByRole('log')).toContainText('this is run 1');
    await expect(log.getByRole('log')).not.toContainText('this is run 2');
    // Run 3 goes on writing meanwhile (its output grows in the list): none of it lands here.
    const outputOfLatest = rows.nth(1).getByRole('cell').nth(6);
    const outputThen = await outputOfLatest.textContent();
    await expect(outputOfLatest).not.toHaveText(outputThen ?? '');
    await expect(log.getByRole('log')).not.toContainText('tick of run 3');

    await log.getByRole('button', { name: 'Back to the latest run' }).press('Enter');
    await expect(log.getByRole('log')).toContainText('tick of run 3');
    await expect(log.getByText(/Showing run #/)).toHaveCount(0);
    await expect(runs.getByRole('button', { name: 'Show the log of run #3 (the latest)' })).toHaveAttribute('aria-pressed', 'true');
  } finally {
    rmSync(counterDir, { recursive: true, force: true });
  }
});
