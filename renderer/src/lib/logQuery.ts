import { checkSafeRegex } from '../../../shared/safeRegex';

/** What the log pane searches for: its text, read as plain text or a regular expression, with or without case. */
export interface LogQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

export const NO_QUERY: LogQuery = { text: '', regex: false, caseSensitive: false };

/**
 * How a line is tested, as logs.search tests the lines of the whole file (the same flags, the
 * same check of a regular expression: shared/safeRegex.ts), or what is wrong with the query in
 * the engine's words. An empty text matches every line.
 */
export function lineMatcher(query: LogQuery): { ok: true; matches(text: string): boolean } | { ok: false; problem: string } {
  if (query.text === '') return { ok: true, matches: () => true };
  if (query.regex) {
    const checked = checkSafeRegex(query.text, query.caseSensitive ? '' : 'i');
    return checked.ok ? { ok: true, matches: (text) => checked.regex.test(text) } : { ok: false, problem: checked.problem };
  }
  if (query.caseSensitive) return { ok: true, matches: (text) => text.includes(query.text) };
  const lower = query.text.toLowerCase();
  return { ok: true, matches: (text) => text.toLowerCase().includes(lower) };
}

/**
 * The query the pane applies after an edit of the search: the new one when it can be used, else
 * the one before it (its results stay on screen) with what is wrong with the new one.
 */
export function nextQuery(applied: LogQuery, wanted: LogQuery): { applied: LogQuery; problem?: string } {
  const checked = lineMatcher(wanted);
  return checked.ok ? { applied: wanted } : { applied, problem: checked.problem };
}
