import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandHandlers } from '../../../electron/host/commandHandlers';
import { createDispatch } from '../../../electron/host/dispatch';
import type { Engine } from '../../../electron/engine/engine';
import { KIB } from '../../../shared/format';
import { closeEngines, openEngine, tailText, tempDir, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

/** Every file under <data dir>/logs, as `du` would count them: bytes and how many. */
function logsOnDisk(dataDir: string): { bytes: number; files: number; names: string[] } {
  const root = join(dataDir, 'logs');
  const names: string[] = [];
  let bytes = 0;
  if (!existsSync(root)) return { bytes, files: 0, names };
  for (const jobDir of readdirSync(root)) {
    for (const name of readdirSync(join(root, jobDir))) {
      bytes += statSync(join(root, jobDir, name)).size;
      names.push(`${jobDir}/${name}`);
    }
  }
  return { bytes, files: names.length, names: names.sort() };
}

/** N lines of 1021 characters: with its stream mark, 1 KiB per line in the log file (and a time line per read). */
const kibLines = (n: number) => `yes "$(printf '%01021d' 0)" | head -n ${n}`;
/** Small files, so that a few jobs fill a small budget and a live run rotates. */
const SMALL_LOGS = { logMaxBytes: 64 * KIB, logFilesKept: 3 };

function collectNotices(engine: Engine): string[] {
  const notices: string[] = [];
  engine.events.on('engine.notice', ({ message }) => notices.push(message));
  return notices;
}

async function endedJob(engine: Engine, name: string, lines: number) {
  const job = engine.jobs.start({ name, command: { kind: 'shell', script: kibLines(lines) } });
  await waitForState(engine, job.id, 'exited');
  return { id: job.id, log: engine.jobs.runs(job.id)[0]!.log.path };
}

/** Usage as the engine counts it equals what is on disk (waited for: a pass may still be due). */
async function usageMatchesDisk(engine: Engine, dataDir: string) {
  return waitFor(
    () => {
      const usage = engine.logs.usage();
      const disk = logsOnDisk(dataDir);
      return usage.usedBytes === disk.bytes && usage.files === disk.files && usage.usedBytes <= usage.budgetBytes ? usage : undefined;
    },
    () => `the engine's count ${JSON.stringify(engine.logs.usage())} to match the disk ${JSON.stringify(logsOnDisk(dataDir))}`,
  );
}

describe('the log budget (logBudgetBytes)', () => {
  it('deletes the oldest ended runs\' logs first as output grows, never a live run\'s file; the record, logs.tail and a notice say why', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: { ...SMALL_LOGS, logBudgetBytes: 256 * KIB } });
    const notices = collectNotices(engine);
    // Three ended runs of ~80 KiB each (240 KiB, under the budget): nothing goes yet.
    const a = await endedJob(engine, 'oldest', 80);
    const b = await endedJob(engine, 'middle', 80);
    const c = await endedJob(engine, 'newest', 80);
    expect(existsSync(`${a.log}.1`)).toBe(true); // 80 KiB is more than one 64 KiB file: the part goes with it
    await usageMatchesDisk(engine, dataDir);
    expect(existsSync(a.log)).toBe(true);

    // A live run writes 80 KiB more: the oldest ended run's log goes, whole, and only it.
    const live = engine.jobs.start({
      name: 'live',
      command: { kind: 'shell', script: `${kibLines(80)}; echo ready; read go; ${kibLines(200)}; echo more; exec sleep 300` },
    });
    await waitFor(() => tailText(engine, live.id).includes('ready'), 'the live job to write its first 80 KiB');
    await waitFor(() => !existsSync(a.log), 'the oldest ended run\'s log to be deleted');
    expect(existsSync(`${a.log}.1`)).toBe(false);
    expect(existsSync(b.log) && existsSync(c.log)).toBe(true);
    const liveLog = engine.jobs.runs(live.id)[0]!.log.path;
    expect(existsSync(liveLog)).toBe(true);
    const usage = await usageMatchesDisk(engine, dataDir);
    expect(usage).toMatchObject({ budgetBytes: 256 * KIB });

    // The record stays and says when and why; logs.tail by its number, and its latest tail, say so.
    const [record] = engine.jobs.runs(a.id);
    expect(record).toMatchObject({ number: 1, state: 'exited', log: { path: a.log, removed: { reason: 'to keep logs under the 256 KiB budget' } } });
    expect(record!.log.removed!.bytes).toBeGreaterThan(80 * KIB);
    // This engine still holds the run's last output in memory: it is shown, and then why the file is gone.
    expect(engine.jobs.tail(a.id, 1).chunks.at(-1)).toMatchObject({ stream: 'system', text: 'no output of this run to show: its log was deleted to keep logs under the 256 KiB budget\n' });
    expect(engine.jobs.tail(a.id).chunks.at(-1)).toMatchObject({ stream: 'system', text: expect.stringContaining('its log was deleted to keep logs under the 256 KiB budget') });
    const said = notices.filter((n) => n.includes('to keep logs under the 256 KiB budget'));
    expect(said).toEqual([expect.stringContaining('deleted the log of job oldest, run 1')]);

    // More live output: the next oldest ended run goes before anything of the live run's.
    engine.jobs.writeStdin(live.id, 'go\n');
    await waitFor(() => tailText(engine, live.id).includes('more'), 'the live job to write 200 KiB more');
    await waitFor(() => !existsSync(b.log), 'the next oldest ended run\'s log to be deleted');
    await usageMatchesDisk(engine, dataDir);
    expect(existsSync(liveLog) && existsSync(`${liveLog}.1`) && existsSync(`${liveLog}.2`)).toBe(true);
    expect(engine.jobs.runs(b.id)[0]!.log.removed).toBeDefined();
    // Each deletion is said once.
    expect(notices.filter((n) => n.includes('the log of job middle, run 1'))).toHaveLength(1);
    expect(notices.filter((n) => n.includes('the log of job oldest, run 1'))).toHaveLength(1);
  });

  it('applies a lowered budget at once (ended runs, then the oldest rotated parts of live runs); one out of range is refused and changes nothing', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: SMALL_LOGS });
    const notices = collectNotices(engine);
    const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' }));
    const ended = await endedJob(engine, 'ended', 80);
    // 200 KiB in 64 KiB files, 3 kept: .2 and .1 are whole files, the current one holds the rest.
    const live = engine.jobs.start({ name: 'rotating', command: { kind: 'shell', script: `${kibLines(200)}; echo ready; exec sleep 300` } });
    await waitFor(() => tailText(engine, live.id).includes('ready'), 'the live job to write 200 KiB');
    const liveLog = engine.jobs.runs(live.id)[0]!.log.path;
    expect(existsSync(`${liveLog}.2`)).toBe(true);
    const before = await usageMatchesDisk(engine, dataDir);
    expect(before.budgetBytes).toBe(1024 * 1024 * 1024); // the default: 1 GiB
    expect(await dispatch('logs.usage', {})).toEqual({ ok: true, value: before });

    // Out of range: refused naming the field; the setting, the files and the count are as they were.
    const onDisk = logsOnDisk(dataDir);
    for (const bad of [1000, 64 * KIB - 1, 2 ** 60, 1.5 * KIB * KIB + 0.5]) {
      const answer = await dispatch('settings.update', { logBudgetBytes: bad });
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'logBudgetBytes' } });
    }
    expect(() => engine.settings.update({ logBudgetBytes: 0 })).toThrow(/log budget must be at least 64 KiB/);
    expect(engine.settings.get().logBudgetBytes).toBe(1024 * 1024 * 1024);
    expect(logsOnDisk(dataDir)).toEqual(onDisk);
    expect(engine.logs.usage()).toEqual(before);

    // Lowered: before the update returns, the ended run's log is gone, then the live run's oldest part.
    engine.settings.update({ logBudgetBytes: 128 * KIB });
    expect(existsSync(ended.log)).toBe(false);
    expect(existsSync(`${liveLog}.2`)).toBe(false);
    expect(existsSync(`${liveLog}.1`) && existsSync(liveLog)).toBe(true);
    const after = engine.logs.usage();
    expect(after).toEqual({ usedBytes: logsOnDisk(dataDir).bytes, budgetBytes: 128 * KIB, files: logsOnDisk(dataDir).files });
    expect(after.usedBytes).toBeLessThanOrEqual(128 * KIB);
    expect(notices).toEqual([
      expect.stringMatching(/^deleted the log of job ended, run 1 \([\d.]+ KiB\), older output of job rotating, run 1 \(.*\.log\.2, [\d.]+ KiB; its older parts go the same way while it writes, unsaid\) to keep logs under the 128 KiB budget/),
    ]);
    expect(engine.jobs.runs(ended.id)[0]!.log.removed?.reason).toBe('to keep logs under the 128 KiB budget');
    expect(engine.jobs.runs(live.id)[0]!.log.removed).toBeUndefined();

    // A restart counts the tree afresh, and the record still says its log was deleted.
    engine.jobs.stop(live.id);
    await waitForState(engine, live.id, 'killed');
    await engine.shutdown();
    const reopened = openEngine({ dataDir });
    expect(reopened.logs.usage()).toEqual({ usedBytes: logsOnDisk(dataDir).bytes, budgetBytes: 128 * KIB, files: logsOnDisk(dataDir).files });
    expect(reopened.jobs.runs(ended.id)[0]!.log.removed?.reason).toBe('to keep logs under the 128 KiB budget');
    expect(tailText(reopened, ended.id)).toBe('no output of this run to show: its log was deleted to keep logs under the 128 KiB budget\n');
  });

  it('live runs\' current files over the budget are never deleted and said once; a flooding run loses its oldest parts, said once', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: { logMaxBytes: 64 * KIB, logFilesKept: 5, logBudgetBytes: 64 * KIB } });
    const notices = collectNotices(engine);
    const echo = (name: string) => engine.jobs.start({ name, command: { kind: 'shell', script: `${kibLines(40)}; echo ready; exec cat` } });
    const first = echo('first');
    const second = echo('second');
    for (const job of [first, second]) await waitFor(() => tailText(engine, job.id).includes('ready'), `${job.name} to write 40 KiB`);
    const over = () => notices.filter((n) => n.includes('in the files live runs are writing'));
    await waitFor(() => over().length === 1, 'the notice that live files alone are over the budget');
    expect(over()[0]).toMatch(/^logs take [\d.]+ KiB, over the 64 KiB budget \(logBudgetBytes\), in the files live runs are writing: those are never deleted/);
    // More output, still over: nothing to delete, and nothing said again.
    for (let i = 1; i <= 5; i++) engine.jobs.writeStdin(first.id, `line ${i}\n`);
    await waitFor(() => tailText(engine, first.id).includes('line 5'), 'the echoed lines');
    const logs = [first, second].map((job) => engine.jobs.runs(job.id)[0]!.log.path);
    expect(logs.every((path) => existsSync(path))).toBe(true);

    // A flood rotates its log again and again: each new part goes (the oldest first), said once for the run.
    const flood = engine.jobs.start({ name: 'flood', command: { kind: 'shell', script: `${kibLines(600)}; echo done; exec sleep 300` } });
    await waitFor(() => tailText(engine, flood.id).includes('done'), 'the flood to end');
    const floodLog = engine.jobs.runs(flood.id)[0]!.log.path;
    await waitFor(() => !existsSync(`${floodLog}.1`), 'the flood\'s rotated parts to be deleted');
    expect(existsSync(floodLog) && logs.every((path) => existsSync(path))).toBe(true);
    expect(notices.filter((n) => n.includes('older output of job flood, run 1'))).toHaveLength(1);
    expect(over()).toHaveLength(1);
    const usage = engine.logs.usage();
    expect(usage).toEqual({ usedBytes: logsOnDisk(dataDir).bytes, budgetBytes: 64 * KIB, files: 3 });
  });

  it('forgetting a run deletes its log: runsKept (as runs end, and lowered) and a removed job', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: { runsKept: 2 } });
    const flapping = engine.jobs.start({
      name: 'flapping',
      command: { kind: 'shell', script: 'echo "run $PDK_RUN_ID"; exit 3' },
      restart: { when: 'on-failure', initialDelayMs: 0, maxDelayMs: 0, maxRestarts: 2, minUptimeMs: 0 },
    });
    await waitForState(engine, flapping.id, 'crash-looping');
    const kept = engine.jobs.runs(flapping.id);
    expect(kept.map((run) => run.number)).toEqual([3, 2]);
    // The first run's record went as the third ended: its log with it.
    await waitFor(() => logsOnDisk(dataDir).files === 2, () => `two log files (${logsOnDisk(dataDir).names.join(', ')})`);
    expect(kept.every((run) => existsSync(run.log.path))).toBe(true);

    engine.settings.update({ runsKept: 1 });
    expect(existsSync(kept[1]!.log.path)).toBe(false);
    expect(existsSync(kept[0]!.log.path)).toBe(true);
    await usageMatchesDisk(engine, dataDir);

    const other = await endedJob(engine, 'other', 2);
    engine.jobs.remove(flapping.id);
    expect(existsSync(join(dataDir, 'logs', flapping.id))).toBe(false);
    expect(existsSync(other.log)).toBe(true);
    const usage = await usageMatchesDisk(engine, dataDir);
    expect(usage.files).toBe(1);
  });
});
