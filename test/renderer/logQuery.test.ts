import { beforeEach, describe, expect, it } from 'vitest';
import { lineMatcher, nextQuery, NO_QUERY } from '../../renderer/src/lib/logQuery';
import { useLogViewStore } from '../../renderer/src/stores/logViewStore';

const lines = ['Needle 1000', 'needle 250', 'line 3', 'a.b'];
const matching = (text: string, regex: boolean, caseSensitive: boolean) => {
  const matcher = lineMatcher({ text, regex, caseSensitive });
  if (!matcher.ok) throw new Error(matcher.problem);
  return lines.filter((line) => matcher.matches(line));
};

describe('the log pane’s search', () => {
  it('reads the text as plain text or a regular expression, with or without case, as logs.search does', () => {
    expect(matching('needle', false, false)).toEqual(['Needle 1000', 'needle 250']);
    expect(matching('needle', false, true)).toEqual(['needle 250']);
    // Capitals alone no longer make it case-sensitive: Match case does.
    expect(matching('NEEDLE', false, false)).toEqual(['Needle 1000', 'needle 250']);
    expect(matching('a.b', false, false)).toEqual(['a.b']);
    expect(matching('^needle \\d+$', false, false)).toEqual([]);
    expect(matching('^needle \\d+$', true, false)).toEqual(['Needle 1000', 'needle 250']);
    expect(matching('^needle \\d+$', true, true)).toEqual(['needle 250']);
    expect(matching('', true, true)).toEqual(lines);
  });

  it('names what is wrong with an expression in the engine’s words: one that does not compile, one that could take exponential time', () => {
    expect(lineMatcher({ text: '(a', regex: true, caseSensitive: true })).toEqual({ ok: false, problem: 'not a valid regular expression: Invalid regular expression: /(a/: Unterminated group' });
    expect(lineMatcher({ text: '(a+)+$', regex: true, caseSensitive: false })).toEqual({
      ok: false,
      problem: '/(a+)+$/ repeats a group that itself repeats (at character 4), which can take exponential time on a line the job prints; rewrite it without the nested repetition',
    });
    expect(lineMatcher({ text: '(a+)+$', regex: false, caseSensitive: false }).ok).toBe(true);
  });

  it('keeps the query before an unusable one in force, saying why', () => {
    const before = { text: 'needle', regex: true, caseSensitive: false };
    expect(nextQuery(NO_QUERY, before)).toEqual({ applied: before });
    expect(nextQuery(before, { ...before, text: 'needle (' })).toEqual({ applied: before, problem: expect.stringMatching(/^not a valid regular expression: .*Unterminated group$/) });
  });
});

describe('the log view store', () => {
  beforeEach(() => {
    useLogViewStore.setState({ search: '', regex: false, caseSensitive: false, applied: NO_QUERY, searchProblem: undefined });
  });

  it('applies what is typed once it can be used, and keeps the options from one job to the next', () => {
    const store = useLogViewStore.getState();
    store.setRegex(true);
    store.setSearch('err\\d');
    expect(useLogViewStore.getState()).toMatchObject({ applied: { text: 'err\\d', regex: true, caseSensitive: false }, searchProblem: undefined });
    useLogViewStore.getState().setSearch('err(');
    expect(useLogViewStore.getState()).toMatchObject({ search: 'err(', applied: { text: 'err\\d' }, searchProblem: expect.stringContaining('Unterminated group') });
    // Read as plain text, the same text is fine.
    useLogViewStore.getState().setRegex(false);
    expect(useLogViewStore.getState()).toMatchObject({ applied: { text: 'err(', regex: false }, searchProblem: undefined });
    useLogViewStore.getState().setCaseSensitive(true);
    useLogViewStore.getState().reset();
    expect(useLogViewStore.getState()).toMatchObject({ search: '', regex: false, caseSensitive: true, applied: { text: '', caseSensitive: true }, searchProblem: undefined });
  });
});
