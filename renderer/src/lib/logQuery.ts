import { lineMatcher, type LineQuery } from '../../../shared/lineMatcher';

/** What the log pane searches for (as logs.search does: the same matcher). */
export type LogQuery = LineQuery;

export const NO_QUERY: LogQuery = { text: '', regex: false, caseSensitive: false };

export { lineMatcher };

/**
 * The query the pane applies after an edit of the search: the new one when it can be used, else
 * the one before it (its results stay on screen) with what is wrong with the new one.
 */
export function nextQuery(applied: LogQuery, wanted: LogQuery): { applied: LogQuery; problem?: string } {
  const checked = lineMatcher(wanted);
  return checked.ok ? { applied: wanted } : { applied, problem: checked.problem };
}
