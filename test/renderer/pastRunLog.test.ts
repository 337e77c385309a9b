import { beforeEach, describe, expect, it } from 'vitest';
import { describeSearchCoverage } from '../../renderer/src/features/logs/searchCoverage';
import { appendChunks, emptyLogText, MAX_LINES, visibleLines } from '../../renderer/src/lib/logText';
import { useLogsStore } from '../../renderer/src/stores/logsStore';

const tail = (runId: string, text: string) => ({ runId, chunks: [{ stream: 'stdout' as const, text }], truncated: false });
const shownText = (jobId: string) => visibleLines(useLogsStore.getState().logs[jobId]!).map((line) => line.text);

describe('a past run in the log pane', () => {
  beforeEach(() => useLogsStore.setState({ logs: {} }));

  it('takes no live output: batches of the latest run are not mixed into it', () => {
    const store = useLogsStore.getState();
    store.beginLoad('j1', { number: 1, endedAt: 1000, state: 'exited (0)' });
    store.loaded('j1', tail('r1', 'old run line\n'), 1);
    store.appendBatches([{ jobId: 'j1', runId: 'r2', chunks: [{ stream: 'stdout', text: 'live line of run 2\n' }] }]);
    expect(shownText('j1')).toEqual(['old run line']);
    expect(useLogsStore.getState().logs['j1']!.pastRun).toEqual({ number: 1, endedAt: 1000, state: 'exited (0)' });

    // Back to the latest run: its live output is added again.
    store.beginLoad('j1');
    store.loaded('j1', tail('r2', 'live line of run 2\n'));
    store.appendBatches([{ jobId: 'j1', runId: 'r2', chunks: [{ stream: 'stdout', text: 'more\n' }] }]);
    expect(shownText('j1')).toEqual(['live line of run 2', 'more']);
    expect(useLogsStore.getState().logs['j1']!.pastRun).toBeUndefined();
  });

  it('a late answer for a run no longer asked for is dropped', () => {
    const store = useLogsStore.getState();
    store.beginLoad('j1', { number: 1, state: 'exited (0)' });
    store.beginLoad('j1', { number: 2, state: 'exited (1)' });
    store.loaded('j1', tail('r1', 'of run 1\n'), 1);
    expect(useLogsStore.getState().logs['j1']!.status).toBe('loading');
    store.loaded('j1', tail('r2', 'of run 2\n'), 2);
    expect(shownText('j1')).toEqual(['of run 2']);
    // The latest run's answer does not land in run 2's view either.
    store.loaded('j1', tail('r3', 'of run 3\n'));
    expect(shownText('j1')).toEqual(['of run 2']);
  });
});

describe('what a search covers, when the whole log is searched', () => {
  const long = { ...appendChunks(emptyLogText(), [{ stream: 'stdout', text: 'x\n'.repeat(MAX_LINES + 10) }]), status: 'ready' as const, filePath: '/d/r.log' };
  const answer = (total: number, shown: number, lines: number) => ({
    status: 'done' as const,
    result: { matches: Array.from({ length: shown }, (_, i) => ({ line: i + 1, stream: 'stdout' as const, text: 'x' })), total, limited: total > shown, lines },
  });

  it('says the whole log was searched, with its count, and when the limit cut the matches', () => {
    expect(describeSearchCoverage(long, MAX_LINES, answer(51, 51, 50_001))).toBe('51 matches in the whole log (50,001 lines searched).');
    expect(describeSearchCoverage(long, MAX_LINES, answer(1, 1, 3))).toBe('1 match in the whole log (3 lines searched).');
    expect(describeSearchCoverage(long, MAX_LINES, answer(7000, 5000, 90_000))).toBe('7,000 matches in the whole log (90,000 lines searched); the first 5,000 are shown.');
  });

  it('says only the lines held are searched until it answers, or when it failed', () => {
    expect(describeSearchCoverage(long, MAX_LINES, { status: 'searching' })).toMatch(/^Searching the whole log… Until it answers, only the last 5,000 lines held here are searched/);
    expect(describeSearchCoverage(long, MAX_LINES, { status: 'error', message: 'engine gone' })).toMatch(/^Could not search the whole log \(engine gone\): only the last 5,000 lines held here/);
  });
});
