import { useMemo } from 'react';
import { lineMatcher, type LogQuery } from '../../lib/logQuery';
import { visibleLines, type LogLine } from '../../lib/logText';
import type { JobLog } from '../../stores/logsStore';
import type { StreamFilter } from '../../stores/logViewStore';
import { plainText } from './ansiLine';

/** Lines to show: those of the chosen stream that match the search in force (plain text or a regular expression, with or without case). */
export function useLogLines(log: JobLog | undefined, query: LogQuery, streams: StreamFilter): LogLine[] {
  return useMemo(() => {
    if (!log) return [];
    const all = visibleLines(log);
    const shown = streams === 'all' ? all : all.filter((line) => line.stream === streams);
    const matcher = lineMatcher(query);
    // The store applies only a query that checks out; one that does not would filter nothing out.
    if (query.text === '' || !matcher.ok) return shown;
    return shown.filter((line) => matcher.matches(plainText(line)));
  }, [log, query, streams]);
}
