import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandHandlers } from '../../../electron/host/commandHandlers';
import { createDispatch } from '../../../electron/host/dispatch';
import { encodeEntries, encodeNote, LOG_FORMAT_HEADER } from '../../../electron/engine/logs/logFileFormat';
import { searchLogFiles } from '../../../electron/engine/logs/logSearch';
import { MAX_SEARCHES_AT_ONCE } from '../../../electron/engine/services/jobsService';
import { closeEngines, openEngine, tempDir, waitForState } from '../helpers';

afterEach(closeEngines);

const plain = (query: string, limit = 1000) => ({ query, regex: false, caseSensitive: false, limit });
const entries = (...parts: Buffer[]) => Buffer.concat([Buffer.from(LOG_FORMAT_HEADER), ...parts]);
const out = (text: string, at = 1_700_000_000_000) => encodeEntries('stdout', Buffer.from(text), at);
const err = (text: string, at = 1_700_000_000_000) => encodeEntries('stderr', Buffer.from(text), at);

describe('logs.search over a log file (searchLogFiles)', () => {
  it('numbers lines across rotated parts oldest first, joins a line written in pieces, reads a part from before the format', async () => {
    const dir = tempDir();
    const file = join(dir, 'r1.log');
    // .2 is the oldest part, written before the entry format (raw output, notes as "[procdeck] ").
    writeFileSync(`${file}.2`, 'old needle one\n[procdeck] needle note\nplain\n');
    // .1: a line of stdout written in two entries with a stderr line between them, and a line cut by rotation (no entry prefix).
    writeFileSync(`${file}.1`, entries(out('half-'), err('err needle\n'), out('needle joined\n'), Buffer.from('cut needle tail\n')));
    // The file: colours and a progress bar's carriage returns are matched as shown.
    writeFileSync(file, entries(out('\u001b[31mred\u001b[0m NEEDLE\n'), out('10%\r100% needle\n'), encodeNote('stopped', 1_700_000_000_500), out('open needle')));

    const result = await searchLogFiles(file, plain('needle'));
    expect(result.matches).toEqual([
      { line: 1, stream: 'stdout', text: 'old needle one' },
      { line: 2, stream: 'system', text: 'needle note' },
      { line: 4, stream: 'stderr', text: 'err needle' },
      { line: 5, stream: 'stdout', text: 'half-needle joined' },
      { line: 6, stream: 'stdout', text: 'cut needle tail' },
      { line: 7, stream: 'stdout', text: 'red NEEDLE' },
      { line: 8, stream: 'stdout', text: '100% needle' },
      { line: 10, stream: 'stdout', text: 'open needle' },
    ]);
    expect(result).toMatchObject({ total: 8, limited: false, lines: 10 });
  });

  it('plain text or a regular expression, either case or exactly; the limit cuts the matches, not the total', async () => {
    const file = join(tempDir(), 'r1.log');
    const lines = Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? `Match ${i}: a.b\n` : `line ${i} axb\n`)).join('');
    writeFileSync(file, entries(out(lines)));

    expect((await searchLogFiles(file, plain('match'))).total).toBe(30);
    expect((await searchLogFiles(file, { ...plain('match'), caseSensitive: true })).total).toBe(0);
    // Plain text is taken literally: "a.b" is not a pattern.
    expect((await searchLogFiles(file, plain('a.b'))).total).toBe(30);
    expect((await searchLogFiles(file, { ...plain('a.b'), regex: true })).total).toBe(300);
    expect((await searchLogFiles(file, { ...plain('^match (\\d)0:'), regex: true })).matches.map((m) => m.line)).toEqual([11, 21, 31, 41, 51, 61, 71, 81, 91]);

    const limited = await searchLogFiles(file, plain('match', 4));
    expect(limited.matches.map((m) => m.text)).toEqual(['Match 0: a.b', 'Match 10: a.b', 'Match 20: a.b', 'Match 30: a.b']);
    expect(limited).toMatchObject({ total: 30, limited: true, lines: 300 });
  });

  it('plain text in either case is literal, also with pattern characters, and folds case beyond ASCII', async () => {
    const file = join(tempDir(), 'r1.log');
    writeFileSync(file, entries(out('Café ÉTÉ (x) [a] c:\\dir $1\n'), out('cafe ete x a\n'), out('CAFÉ été (X) [A] C:\\DIR $1\n')));
    expect((await searchLogFiles(file, plain('café été'))).matches.map((m) => m.line)).toEqual([1, 3]);
    expect((await searchLogFiles(file, plain('(x) [a] c:\\dir $1'))).matches.map((m) => m.line)).toEqual([1, 3]);
    expect((await searchLogFiles(file, { ...plain('(x) [a]'), caseSensitive: true })).matches.map((m) => m.line)).toEqual([1]);
  });

  it('reads a file larger than its chunks line by line: a character split between two reads, a very long line clipped', async () => {
    const file = join(tempDir(), 'r1.log');
    const long = `${'é'.repeat(200_000)} needle at the end\n`; // 400 kB of two-byte characters: across chunks
    writeFileSync(file, entries(out('before\n'), out(long), out('needle é after\n')));
    const result = await searchLogFiles(file, plain('é'));
    expect(result.matches.map((m) => [m.line, m.text.length, m.clipped])).toEqual([
      [2, 4096, true],
      [3, 'needle é after'.length, undefined],
    ]);
    expect(result.matches[0]!.text).toBe('é'.repeat(4096));
    // Only the start of a line that long is searched (64 Ki characters of it).
    expect((await searchLogFiles(file, plain('at the end'))).total).toBe(0);
    expect((await searchLogFiles(file, plain('after'))).matches).toEqual([{ line: 3, stream: 'stdout', text: 'needle é after' }]);
  });

  it('a log that is gone has no lines', async () => {
    expect(await searchLogFiles(join(tempDir(), 'nope', 'r1.log'), plain('x'))).toEqual({ matches: [], total: 0, limited: false, lines: 0 });
  });
});

const PADDING = '0'.repeat(28);

describe('logs.search (the command)', () => {
  it('searches the whole log of a rotated run, as its parts are on disk', async () => {
    const engine = openEngine();
    engine.settings.update({ logMaxBytes: 64 * 1024, logFilesKept: 5, tailMaxBytes: 4 * 1024 });
    // 6000 lines of about 40 bytes each in the file: ~240 kB, four parts of 64 kB.
    const job = engine.jobs.start({ name: 'counter', command: { kind: 'shell', script: 'seq 1 6000 | sed "s/^/row /; s/$/ $(printf %028d 0)/"' } });
    await waitForState(engine, job.id, 'exited');
    const [run] = engine.jobs.runs(job.id);
    const parts = readdirSync(dirname(run!.log.path)).filter((name) => name.startsWith(`${run!.runId}.log`));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(statSync(`${run!.log.path}.1`).size).toBeGreaterThan(0);

    const result = await engine.jobs.search(job.id, undefined, { query: '^row \\d*7 0+$', regex: true, caseSensitive: false, limit: 1000 });
    // Rows 7, 17, … 5997: 600 of them, each on its own line; the engine's own closing line comes last.
    expect(result.total).toBe(600);
    expect(result.matches.slice(0, 3)).toEqual([
      { line: 7, stream: 'stdout', text: `row 7 ${PADDING}` },
      { line: 17, stream: 'stdout', text: `row 17 ${PADDING}` },
      { line: 27, stream: 'stdout', text: `row 27 ${PADDING}` },
    ]);
    expect(result.matches.at(-1)).toEqual({ line: 5997, stream: 'stdout', text: `row 5997 ${PADDING}` });
    expect(result.lines).toBeGreaterThanOrEqual(6000);
    expect(result).toMatchObject({ runId: run!.runId, filePath: run!.log.path, limited: false });
    // The tail the pane gets holds less than that: this is what the whole-file search is for.
    expect(engine.jobs.tail(job.id).truncated).toBe(true);
  });

  it('searches a past run after the engine restarted, by its number; a run not kept is named', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    const job = engine.jobs.start({ name: 'twice', command: { kind: 'shell', script: 'echo "run $PDK_RUN_ID says hello"; echo bye' } });
    await waitForState(engine, job.id, 'exited');
    engine.jobs.restart(job.id);
    await waitForState(engine, job.id, 'exited');
    const [second, first] = engine.jobs.runs(job.id);
    await engine.shutdown();

    const reopened = openEngine({ dataDir });
    const query = { query: 'HELLO', regex: false, caseSensitive: false, limit: 10 };
    const ofFirst = await reopened.jobs.search(job.id, 1, query);
    expect(ofFirst).toMatchObject({ runId: first!.runId, total: 1, matches: [{ line: 1, stream: 'stdout' }] });
    expect(ofFirst.matches[0]!.text).toContain(first!.runId);
    const latest = await reopened.jobs.search(job.id, undefined, query);
    expect(latest.matches[0]!.text).toContain(second!.runId);
    await expect(reopened.jobs.search(job.id, 3, query)).rejects.toThrow(/twice has no run 3: the runs kept are 1–2/);
  });

  it('reads at most four searches at once: a fifth asked meanwhile is refused, saying why, and the four answer', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'seq 1 2000' } });
    await waitForState(engine, job.id, 'exited');
    const query = { query: '7', regex: false, caseSensitive: false, limit: 10 };
    // Asked in one turn of the thread: none has finished reading when the fifth comes.
    const searches = Array.from({ length: MAX_SEARCHES_AT_ONCE + 1 }, () => engine.jobs.search(job.id, undefined, query).then((r) => r.total, (e: Error) => e.message));
    const answers = await Promise.all(searches);
    expect(answers.slice(0, MAX_SEARCHES_AT_ONCE)).toEqual(Array(MAX_SEARCHES_AT_ONCE).fill(answers[0]));
    expect(answers[0]).toBeGreaterThan(0);
    expect(answers[MAX_SEARCHES_AT_ONCE]).toMatch(/4 log searches are running already: search again once one has finished/);
    // Once they are done, searching works again.
    expect((await engine.jobs.search(job.id, undefined, query)).total).toBe(answers[0]);
  });

  it('parses the request: a bad or exponential regular expression is INVALID_REQUEST naming the query, and nothing changes', async () => {
    const engine = openEngine();
    const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' }));
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'echo aaaa' } });
    await waitForState(engine, job.id, 'exited');

    expect(await dispatch('logs.search', { jobId: job.id, query: 'a+' })).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await dispatch('logs.search', { jobId: job.id, query: 'a+', regex: true })).toMatchObject({
      ok: true,
      value: { total: 1, limited: false, matches: [{ line: 1, stream: 'stdout', text: 'aaaa' }] },
    });
    const bad = await dispatch('logs.search', { jobId: job.id, query: '(unclosed', regex: true });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'query' } });
    expect(JSON.stringify(bad)).toMatch(/not a valid regular expression/);
    expect(await dispatch('logs.search', { jobId: job.id, query: '(a+)+$', regex: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', field: 'query', message: expect.stringMatching(/exponential time/) },
    });
    expect(await dispatch('logs.search', { jobId: job.id, query: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'query' } });
    expect(await dispatch('logs.search', { jobId: job.id, query: 'a', limit: 5001 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'limit' } });
    expect(await dispatch('logs.search', { jobId: job.id, query: 'a', run: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'run' } });
    expect(await dispatch('logs.search', { jobId: 'jnope', query: 'a' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'jobId' } });
    expect(engine.jobs.get(job.id).state).toBe('exited');
    expect(existsSync(engine.jobs.runs(job.id)[0]!.log.path)).toBe(true);
  });
});
