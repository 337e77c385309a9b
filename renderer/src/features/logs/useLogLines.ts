import { useMemo } from 'react';
import { visibleLines, type LogLine } from '../../lib/logText';
import type { JobLog } from '../../stores/logsStore';
import type { StreamFilter } from '../../stores/logViewStore';
import { plainText } from './ansiLine';

/** Lines to show: those of the chosen stream, filtered by the search text (case-insensitive unless it has capitals). */
export function useLogLines(log: JobLog | undefined, search: string, streams: StreamFilter): LogLine[] {
  return useMemo(() => {
    if (!log) return [];
    const all = visibleLines(log);
    const shown = streams === 'all' ? all : all.filter((line) => line.stream === streams);
    if (!search) return shown;
    if (search !== search.toLowerCase()) return shown.filter((line) => plainText(line).includes(search));
    return shown.filter((line) => plainText(line).toLowerCase().includes(search));
  }, [log, search, streams]);
}
