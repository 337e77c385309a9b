import { describe, expect, it } from 'vitest';
import { describeSearchCoverage } from '../../renderer/src/features/logs/searchCoverage';
import { appendChunks, emptyLogText, MAX_LINES, visibleLines } from '../../renderer/src/lib/logText';
import { NOT_SHOWN_LIVE } from '../../shared/jobSnapshot';

describe('a log line’s time', () => {
  it('is when its first text arrived, also when its end comes in a later chunk', () => {
    const log = appendChunks(emptyLogText(), [
      { stream: 'stdout', text: 'first half ', at: 1000 },
      { stream: 'stdout', text: 'second half\nnext', at: 2000 },
      { stream: 'stderr', text: 'warning\n', at: 2500 },
    ]);
    expect(visibleLines(log).map(({ stream, text, at }) => ({ stream, text, at }))).toEqual([
      { stream: 'stdout', text: 'first half second half', at: 1000 },
      { stream: 'stderr', text: 'warning', at: 2500 },
      { stream: 'stdout', text: 'next', at: 2000 },
    ]);
  });

  it('is absent when the chunks carry none (a log file of the old format)', () => {
    const [line] = appendChunks(emptyLogText(), [{ stream: 'stdout', text: 'old\n' }]).lines;
    expect(line).toEqual({ id: 1, stream: 'stdout', text: 'old' });
  });
});

describe('what a search covers', () => {
  const lines = (count: number) => Array.from({ length: count }, (_, i) => `${i}\n`).join('');

  it('is all of the output when nothing was dropped', () => {
    const log = { ...appendChunks(emptyLogText(), [{ stream: 'stdout', text: lines(3) }]), status: 'ready' as const };
    expect(describeSearchCoverage(log, visibleLines(log).length)).toBe('Searching all 3 lines of output: nothing older was dropped.');
  });

  it('is only the lines held once older ones were dropped, naming the file that has them', () => {
    const text = appendChunks(emptyLogText(), [{ stream: 'stdout', text: lines(MAX_LINES + 10) }]);
    const log = { ...text, status: 'ready' as const, filePath: '/data/logs/job/run.log' };
    expect(describeSearchCoverage(log, visibleLines(log).length)).toBe(
      `Searching only the last ${MAX_LINES.toLocaleString('en')} lines held here: older output is not searched, it is in the log file /data/logs/job/run.log.`,
    );
  });
});

describe('output skipped for the live view', () => {
  it('marks the pane as not holding everything, so a search says it covers only what is held', () => {
    const before = appendChunks(emptyLogText(), [{ stream: 'stdout', text: '1\n2\n' }]);
    expect(before.truncated).toBe(false);
    const after = appendChunks(before, [{ stream: 'system', text: `1.2 MiB ${NOT_SHOWN_LIVE} (full output is in /x/r.log)\n` }, { stream: 'stdout', text: '99999\n' }]);
    expect(after.truncated).toBe(true);
    expect(describeSearchCoverage({ ...after, status: 'ready', filePath: '/x/r.log' }, 3)).toMatch(/^Searching only the last 3 lines held here/);
  });
});
