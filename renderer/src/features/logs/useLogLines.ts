import { useMemo } from 'react';
import { visibleLines, type LogLine } from '../../lib/logText';
import type { JobLog } from '../../stores/logsStore';
import { plainText } from './ansiLine';

/** Lines to show, filtered by the search text (case-insensitive unless it has capitals). */
export function useLogLines(log: JobLog | undefined, search: string): LogLine[] {
  return useMemo(() => {
    if (!log) return [];
    const all = visibleLines(log);
    if (!search) return all;
    if (search !== search.toLowerCase()) return all.filter((line) => plainText(line).includes(search));
    return all.filter((line) => plainText(line).toLowerCase().includes(search));
  }, [log, search]);
}
