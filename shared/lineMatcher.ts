import { checkSafeRegex, escapeRegExp } from './safeRegex';

/** What a search of log lines asks for: its text, read as plain text or a regular expression, with or without case. */
export interface LineQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

/**
 * How a line is tested, by logs.search over the whole file and by the log pane over the lines it
 * holds alike, or what is wrong with the query (shared/safeRegex.ts's words). An empty text
 * matches every line. Plain text in either case is a case-insensitive regular expression of the
 * escaped text, not `toLowerCase().includes()`, which copied every line of a log to test it.
 */
export function lineMatcher(query: LineQuery): { ok: true; matches(text: string): boolean } | { ok: false; problem: string } {
  if (query.text === '') return { ok: true, matches: () => true };
  if (query.regex) {
    const checked = checkSafeRegex(query.text, query.caseSensitive ? '' : 'i');
    return checked.ok ? { ok: true, matches: (text) => checked.regex.test(text) } : { ok: false, problem: checked.problem };
  }
  if (query.caseSensitive) return { ok: true, matches: (text) => text.includes(query.text) };
  const anyCase = new RegExp(escapeRegExp(query.text), 'iu');
  return { ok: true, matches: (text) => anyCase.test(text) };
}
