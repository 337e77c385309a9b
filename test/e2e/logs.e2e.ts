import type { Locator, Page } from '@playwright/test';
import { expect, jobRow, launch, test, uniqueName } from './browserHost';

const logOf = (page: Page) => page.getByRole('region', { name: 'Log' });
const stateOf = (page: Page, name: string) => jobRow(page, name).getByRole('gridcell').nth(1);

/** The text colour and the gutter mark (generated content) of the log line holding `text`. */
async function lineLook(log: Locator, text: string): Promise<{ color: string; mark: string }> {
  const line = log.locator('.log-line', { hasText: text });
  await expect(line).toHaveCount(1);
  return line.evaluate((element) => ({
    color: getComputedStyle(element.querySelector('.log-text')!).color,
    mark: getComputedStyle(element, '::before').content,
  }));
}

test('stderr is marked in the gutter, not painted red; a filter shows one stream; a Stop reads "stopped" with no alarming note', async ({ app }) => {
  const name = uniqueName('access-log');
  await launch(app, 'echo out-line; echo "GET / 200" >&2; echo ready; sleep 300', name);
  await jobRow(app, name).click();
  const log = logOf(app);
  await expect(log).toContainText('ready');

  const out = await lineLook(log, 'out-line');
  const err = await lineLook(log, 'GET / 200');
  expect(err.color).toBe(out.color);
  expect(err.mark).toBe('"err"');
  expect(out.mark).not.toContain('err');

  await app.getByLabel('Show lines').selectOption('stderr');
  await expect(log.getByText('GET / 200')).toBeVisible();
  await expect(log.getByText('out-line')).toHaveCount(0);
  await app.getByLabel('Show lines').selectOption('all');
  await expect(log.getByText('out-line')).toBeVisible();

  await jobRow(app, name).getByRole('button', { name: 'Stop' }).click();
  await expect(stateOf(app, name)).toHaveText(/^stopped/);
  await expect(stateOf(app, name)).not.toContainText('killed');
  // A plain job left nothing running: no line about what it left, and no [procdeck] tag in the pane.
  await expect(log).not.toContainText('left running');
  await expect(log).not.toContainText('[procdeck]');
});

test('Times shows when each line arrived, and hides it again', async ({ app }) => {
  const name = uniqueName('timed');
  await launch(app, 'echo first; echo second >&2; sleep 300', name);
  await jobRow(app, name).click();
  const log = logOf(app);
  await expect(log).toContainText('second');
  const clock = /^\d\d:\d\d:\d\d\.\d{3}$/;
  await expect(log.locator('.log-time')).toHaveCount(0);
  await app.getByLabel('Times').check();
  const times = log.locator('.log-line', { hasText: 'first' }).locator('.log-time');
  await expect(times).toHaveText(clock);
  await expect(log.locator('.log-line', { hasText: 'second' }).locator('.log-time')).toHaveText(clock);
  await app.getByLabel('Times').uncheck();
  await expect(log.locator('.log-time')).toHaveCount(0);
  await jobRow(app, name).getByRole('button', { name: 'Stop' }).click();
});

test('a search says what it covers: all of a short log; of a long one the whole file on disk, finding every match (51 of 51, not the 6 held)', async ({ app }) => {
  const short = uniqueName('short');
  await launch(app, 'echo alpha; echo beta; sleep 300', short);
  await jobRow(app, short).click();
  await expect(logOf(app)).toContainText('beta');
  await app.getByLabel('Search log').fill('alp');
  await expect(app.getByRole('status').filter({ hasText: 'Searching' })).toHaveText(/^Searching all 2 lines of output/);

  // 50,000 lines, a match every 980th: 51 in all, of which only the last 6 are in the 5,000 lines the pane holds.
  const long = uniqueName('long');
  await launch(app, `seq 1 50000 | awk '{ if ($1 % 980 == 0) print "needle " $1; else print "line " $1 }'; echo done-writing; while read -r line; do echo "$line"; done`, long);
  await jobRow(app, long).click();
  const log = logOf(app);
  await expect(log).toContainText('done-writing');
  // A newly selected job's log starts without a search.
  await expect(app.getByLabel('Search log')).toHaveValue('');
  await app.getByLabel('Search log').fill('needle');
  const coverage = app.getByRole('status').filter({ hasText: 'in the whole log' });
  await expect(coverage).toHaveText('51 matches in the whole log (50,001 lines searched).');
  const lines = log.getByRole('log');
  // Each match with its line number in the file; the view follows the newest, Home (keyboard) goes to the oldest.
  await expect(lines.locator('.log-line', { hasText: 'needle 49980' }).locator('.log-number')).toHaveText('49980');
  await lines.focus();
  await app.keyboard.press('Home');
  await expect(lines.locator('.log-line', { hasText: 'needle 980' }).first().locator('.log-number')).toHaveText('980');
  await expect(log.locator('.log-line', { hasText: /^line / })).toHaveCount(0);
  await expect(log).toContainText('51 shown');
  // An answer is as of when it was asked: the job writes one more, Search again finds it.
  await app.getByLabel('Input').fill('needle from stdin');
  await app.getByRole('button', { name: 'Send' }).click();
  await expect(async () => {
    await app.getByRole('button', { name: 'Search again' }).click();
    await expect(coverage).toHaveText('52 matches in the whole log (50,002 lines searched).', { timeout: 1000 });
  }).toPass();
  await lines.press('End');
  await expect(lines.locator('.log-line', { hasText: 'needle from stdin' }).locator('.log-number')).toHaveText('50002');
  for (const name of [short, long]) await jobRow(app, name).getByRole('button', { name: 'Stop' }).click();
});

test('Regex and Match case read the search in the pane and in the whole file on disk; an invalid or unsafe expression says why and leaves the results as they were', async ({ app }) => {
  const log = logOf(app);
  const search = app.getByLabel('Search log');
  const regex = app.getByLabel('Regex', { exact: true });
  const matchCase = app.getByLabel('Match case', { exact: true });

  // A short log, all of it held: the pane's own filter.
  const short = uniqueName('cases');
  await launch(app, 'echo Alpha; echo alpha; echo "beta 42"; sleep 300', short);
  await jobRow(app, short).click();
  await expect(log).toContainText('beta 42');
  await search.fill('alpha');
  await expect(app.getByRole('status').filter({ hasText: 'Searching' })).toHaveText(/^Searching all 3 lines of output/);
  await expect(log.locator('.log-line')).toHaveText(['Alpha', 'alpha']);
  await matchCase.check();
  await expect(log.locator('.log-line')).toHaveText(['alpha']);
  await regex.check();
  await search.fill('^[a-z]+ \\d+$');
  await expect(log.locator('.log-line')).toHaveText(['beta 42']);
  await matchCase.uncheck();
  await regex.uncheck();

  // 50,000 lines: "Needle N" every 1000th (50), "needle N" every 500th from 250 (100); the pane holds only the last 5,000.
  const long = uniqueName('needles');
  await launch(app, `seq 1 50000 | awk '{ if ($1 % 1000 == 0) print "Needle " $1; else if ($1 % 500 == 250) print "needle " $1; else print "line " $1 }'; echo done-writing; sleep 300`, long);
  await jobRow(app, long).click();
  await expect(log).toContainText('done-writing');
  const coverage = app.getByRole('status').filter({ hasText: 'in the whole log' });
  await search.fill('needle');
  await expect(coverage).toHaveText('150 matches in the whole log (50,001 lines searched).');
  await matchCase.check();
  await expect(coverage).toHaveText('100 matches in the whole log (50,001 lines searched).');
  // As plain text the anchors and \d match nothing; as a regular expression, every lower-case needle line.
  await search.fill('^needle \\d+$');
  await expect(coverage).toHaveText('0 matches in the whole log (50,001 lines searched).');
  await regex.check();
  await expect(coverage).toHaveText('100 matches in the whole log (50,001 lines searched).');
  await matchCase.uncheck();
  await expect(coverage).toHaveText('150 matches in the whole log (50,001 lines searched).');
  const lines = log.getByRole('log');
  await lines.focus();
  await app.keyboard.press('Home');
  await expect(lines.locator('.log-line', { hasText: /^250needle 250$/ }).locator('.log-number')).toHaveText('250');
  await expect(log).toContainText('150 shown');

  // An expression that does not compile, then one that could take exponential time: said, with the results of the last search kept.
  const problem = log.getByRole('alert');
  await search.fill('^needle (\\d+$');
  await expect(problem).toHaveText('Not searched: not a valid regular expression: Invalid regular expression: /^needle (\\d+$/i: Unterminated group. The results of the previous search stay.');
  await expect(coverage).toHaveText('150 matches in the whole log (50,001 lines searched).');
  await expect(log).toContainText('150 shown');
  await search.fill('(e+)+$');
  await expect(problem).toContainText('/(e+)+$/ repeats a group that itself repeats (at character 4), which can take exponential time');
  await expect(coverage).toHaveText('150 matches in the whole log (50,001 lines searched).');
  // Read as plain text it is fine again (it is in no line).
  await regex.uncheck();
  await expect(problem).toBeHidden();
  await expect(coverage).toHaveText('0 matches in the whole log (50,001 lines searched).');
  for (const name of [short, long]) await jobRow(app, name).getByRole('button', { name: 'Stop' }).click();
});

test('Merge stderr into stdout (More options) keeps the exact order of lines written back to back to both', async ({ app }) => {
  const name = uniqueName('merged');
  const form = app.getByRole('form', { name: 'New job' });
  await form.getByRole('button', { name: 'More options' }).click();
  await form.getByLabel('Merge stderr into stdout (exact line order)').check();
  await launch(app, 'for i in 1 2 3 4 5 6; do echo "out $i"; echo "err $i" >&2; done; echo done; sleep 300', name);
  await jobRow(app, name).click();
  const log = logOf(app);
  await expect(log).toContainText('done');
  const lines = await log.locator('.log-line .log-text').allTextContents();
  const written = [1, 2, 3, 4, 5, 6].flatMap((i) => [`out ${i}`, `err ${i}`]);
  expect(lines.filter((line) => /^(out|err) \d$/.test(line))).toEqual(written);
  // One pipe: every line is then marked stdout, also those the job wrote to stderr.
  expect((await lineLook(log, 'err 3')).mark).not.toContain('err');
  await jobRow(app, name).getByRole('button', { name: 'Stop' }).click();
});
