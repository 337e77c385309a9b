import { ftruncateSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_FORMAT_HEADER, versionOf } from '../../../electron/engine/logs/logFileFormat';
import { decodeLogText, type TimedChunk } from '../../../electron/engine/logs/logFileDecoding';
import { searchLogFiles } from '../../../electron/engine/logs/logSearch';
import { LOG_RETRY_MS } from '../../../electron/engine/logs/rotatingLogFile';
import { RunLog } from '../../../electron/engine/logs/runLog';
import { logFileTail } from '../../../electron/engine/logs/savedRunTail';
import { mountSmallDisk, type SmallDisk } from '../../support/smallDisk';
import { tempDir } from '../helpers';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const AT = Date.UTC(2025, 4, 1, 9, 30, 0, 123);
const plain = (query: string) => ({ query, regex: false, caseSensitive: false, limit: 1000 });

afterEach(() => {
  vi.useRealTimers();
});

/** A RunLog writing a real file, with the clock stopped where each read is to arrive. */
function runLogAt(filePath: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  const log = new RunLog({ filePath, fileMaxBytes: 1 << 30, filesKept: 1, tailMaxBytes: 1 << 20 });
  return {
    log,
    append(at: number, stream: 'stdout' | 'stderr', text: string) {
      vi.setSystemTime(at);
      log.append(stream, Buffer.from(text));
    },
    note(at: number, text: string) {
      vi.setSystemTime(at);
      log.note(text);
    },
  };
}

describe('a version 2 log file (written by the engine before version 3)', () => {
  // fixtures/v2-run.log was written with that engine's encodeEntries and encodeNote: a stdout line
  // split across two reads with stderr between, a stderr line cut at a read, a stdout line that
  // looks like a stderr entry, and a note.
  const v2 = join(FIXTURES, 'v2-run.log');

  it('reads back into its streams, pieces joined where they were, each read with its time', () => {
    expect(versionOf(readFileSync(v2, 'utf8'))).toBe('v2');
    expect(logFileTail(v2, 'r-v2', 1 << 20)).toEqual({
      runId: 'r-v2',
      truncated: false,
      filePath: v2,
      chunks: [
        { stream: 'stdout', text: 'listening on :8080\n', at: AT },
        { stream: 'stderr', text: 'warning: no config file, using defaults\n', at: AT + 1 },
        { stream: 'stdout', text: 'downloading… 40%', at: AT + 884 },
        { stream: 'stderr', text: 'retrying mirror\nhalf of an error ', at: AT + 900 },
        { stream: 'stdout', text: ' 100% done\nnot a stderr line: 2025-05-01T09:30:00.123Z stderr F fake\n', at: AT + 4867 },
        { stream: 'stderr', text: 'line\n', at: AT + 4868 },
        { stream: 'system', text: 'stopped by operator\n', at: AT + 5867 },
      ],
    });
  });

  it('is searched line by line, a line written in two entries as one', async () => {
    const result = await searchLogFiles(v2, plain('o'));
    expect(result.matches).toEqual([
      { line: 1, stream: 'stdout', text: 'listening on :8080' },
      { line: 2, stream: 'stderr', text: 'warning: no config file, using defaults' },
      { line: 3, stream: 'stderr', text: 'retrying mirror' },
      { line: 4, stream: 'stdout', text: 'downloading… 40% 100% done' },
      { line: 5, stream: 'stdout', text: 'not a stderr line: 2025-05-01T09:30:00.123Z stderr F fake' },
      { line: 6, stream: 'stderr', text: 'half of an error line' },
      { line: 7, stream: 'system', text: 'stopped by operator' },
    ]);
  });

  it('read from its middle (a tail of a big file): the cut line is left out, the rest keeps its streams and times', () => {
    const tail = logFileTail(v2, 'r-v2', 120);
    expect(tail.truncated).toBe(true);
    expect(tail.chunks).toEqual([
      { stream: 'stderr', text: 'line\n', at: AT + 4868 },
      { stream: 'system', text: 'stopped by operator\n', at: AT + 5867 },
    ]);
  });
});

describe('a log file from before any format (raw output)', () => {
  const raw = join(FIXTURES, 'raw-run.log');

  it('reads as stdout, "[procdeck] " lines as Procdeck’s, in the tail and in a search', async () => {
    expect(logFileTail(raw, 'r-raw', 1 << 20).chunks).toEqual([
      { stream: 'stdout', text: 'listening on :8080\nwarning: no config file\n' },
      { stream: 'system', text: 'stopped by operator\n' },
    ]);
    expect((await searchLogFiles(raw, plain('o'))).matches).toEqual([
      { line: 1, stream: 'stdout', text: 'listening on :8080' },
      { line: 2, stream: 'stdout', text: 'warning: no config file' },
      { line: 3, stream: 'system', text: 'stopped by operator' },
    ]);
  });
});

describe('a version 3 log file, as a run writes it', () => {
  it('partial lines across reads with the streams interleaved: each stream’s line joined, each read at its time', async () => {
    const file = join(tempDir(), 'r.log');
    const run = runLogAt(file);
    run.append(AT, 'stdout', 'one\nhalf of ');
    run.append(AT + 5, 'stderr', 'err one\nerr half ');
    // The other stream in between: stdout's line goes on here, stderr's after it.
    run.append(AT + 9, 'stdout', 'a stdout line\n');
    run.append(AT + 9, 'stderr', 'and its end\n');
    run.note(AT + 20, 'stopped by operator');
    run.append(AT + 30, 'stdout', 'no newline at the end');
    run.log.close();

    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')).toEqual([
      LOG_FORMAT_HEADER.slice(0, -1),
      `@${new Date(AT).toISOString()}`,
      '1 one',
      '1+half of ',
      `@${new Date(AT + 5).toISOString()}`,
      '2 err one',
      '2+err half ',
      `@${new Date(AT + 9).toISOString()}`,
      '1 a stdout line',
      `@${new Date(AT + 9).toISOString()}`,
      '2 and its end',
      `@${new Date(AT + 20).toISOString()}`,
      '! stopped by operator',
      `@${new Date(AT + 30).toISOString()}`,
      '1+no newline at the end',
      '',
    ]);
    const expected: TimedChunk[] = [
      { stream: 'stdout', text: 'one\nhalf of ', at: AT },
      { stream: 'stderr', text: 'err one\nerr half ', at: AT + 5 },
      { stream: 'stdout', text: 'a stdout line\n', at: AT + 9 },
      { stream: 'stderr', text: 'and its end\n', at: AT + 9 },
      { stream: 'system', text: 'stopped by operator\n', at: AT + 20 },
      { stream: 'stdout', text: 'no newline at the end', at: AT + 30 },
    ];
    // The file reads back as the live log carried it.
    expect(logFileTail(file, 'r', 1 << 20).chunks).toEqual(expected);
    expect(run.log.drain(true)).toEqual(expected);

    const result = await searchLogFiles(file, plain('e'));
    expect(result.matches).toEqual([
      { line: 1, stream: 'stdout', text: 'one' },
      { line: 2, stream: 'stderr', text: 'err one' },
      { line: 3, stream: 'stdout', text: 'half of a stdout line' },
      { line: 4, stream: 'stderr', text: 'err half and its end' },
      { line: 5, stream: 'system', text: 'stopped by operator' },
      { line: 6, stream: 'stdout', text: 'no newline at the end' },
    ]);
  });

  it('output that looks like the format’s own lines stays output of its stream', () => {
    const file = join(tempDir(), 'r.log');
    const run = runLogAt(file);
    run.append(AT, 'stdout', `@${new Date(AT + 1000).toISOString()}\n! not Procdeck\n# procdeck-log v3\n2 not stderr\n`);
    run.log.close();
    expect(decodeLogText(readFileSync(file, 'utf8'), 'v3')).toEqual([
      { stream: 'stdout', text: `@${new Date(AT + 1000).toISOString()}\n! not Procdeck\n# procdeck-log v3\n2 not stderr\n`, at: AT },
    ]);
  });

  it('read from its middle: the lines before the tail’s first time line have the time of the one before the tail', () => {
    const file = join(tempDir(), 'r.log');
    const run = runLogAt(file);
    run.append(AT, 'stdout', 'first read, a line long enough to be cut\nsecond line of it\n');
    run.append(AT + 7, 'stderr', 'later\n');
    run.log.close();
    const tail = logFileTail(file, 'r', 60);
    expect(tail.chunks).toEqual([
      { stream: 'stdout', text: 'second line of it\n', at: AT },
      { stream: 'stderr', text: 'later\n', at: AT + 7 },
    ]);
  });
});

// A real small filesystem (tmpfs) so that the disk really fills inside a write.
const mounted = mountSmallDisk('1m');
const disk: SmallDisk | undefined = 'refused' in mounted ? undefined : mounted;
if (!disk) console.warn(`SKIPPED: the full-disk cut needs a real 1 MiB filesystem, and ${(mounted as { refused: string }).refused}`);
afterAll(() => disk?.unmount());

describe.skipIf(disk === undefined)('a full disk cutting an entry (a real 1 MiB tmpfs)', () => {
  it('the cut line keeps its stream, and the note saying what is missing starts a line of its own', async () => {
    const file = join(disk!.dir, 'r.log');
    const run = runLogAt(file);
    run.append(AT, 'stdout', 'before\n');
    const filler = disk!.fill();
    // One page free again: the next write goes in part, then the disk is full inside its line.
    const fd = openSync(filler, 'r+');
    ftruncateSync(fd, statSync(filler).size - 4096);
    closeSync(fd);
    run.append(AT + 1, 'stderr', `${'x'.repeat(20_000)}\n`);
    const cut = readFileSync(file, 'utf8');
    expect(cut.length).toBeGreaterThan(LOG_FORMAT_HEADER.length + 30);
    expect(cut.endsWith('\n')).toBe(false);
    rmSync(filler);
    run.append(AT + 1 + LOG_RETRY_MS, 'stdout', 'after\n');
    run.log.close();

    const lines = readFileSync(file, 'utf8').split('\n');
    const noteAt = lines.findIndex((line) => line.startsWith('! '));
    expect(lines[noteAt - 1]).toBe(`@${new Date(AT + 1 + LOG_RETRY_MS).toISOString()}`);
    expect(lines[noteAt]).toMatch(/^! [\d.]+ KiB of output missing here: the log file could not be written \(ENOSPC/);
    const chunks = logFileTail(file, 'r', 1 << 20).chunks;
    expect(chunks.map((c) => c.stream)).toEqual(['stdout', 'stderr', 'system', 'stdout']);
    expect(chunks[1]!.text).toMatch(/^x+\n$/);
    expect(chunks[3]).toEqual({ stream: 'stdout', text: 'after\n', at: AT + 1 + LOG_RETRY_MS });
    const found = await searchLogFiles(file, { query: '^x+$', regex: true, caseSensitive: true, limit: 10 });
    expect(found.matches.map((m) => [m.line, m.stream])).toEqual([[2, 'stderr']]);
  });
});
