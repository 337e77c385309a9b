import type { JobLog } from '../../stores/logsStore';
import type { WholeLogSearch } from './useWholeLogSearch';

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * What a search of the log pane covers, said plainly: the pane holds at most the last few
 * thousand lines of output (and the engine keeps only the end of each run in memory), while
 * the log file on disk has everything. When the pane does not hold it all, the file itself is
 * searched (`whole`); until that answers, or if it fails, the lines held are.
 */
export function describeSearchCoverage(log: JobLog, heldLines: number, whole?: WholeLogSearch): string {
  const held = count(heldLines, 'line');
  if (!log.truncated) return `Searching all ${held} of output: nothing older was dropped.`;
  if (whole?.status === 'done') {
    const { total, matches, lines } = whole.result;
    const shown = whole.result.limited ? `; the first ${count(matches.length, 'is', 'are')} shown` : '';
    return `${count(total, 'match', 'matches')} in the whole log (${count(lines, 'line')} searched)${shown}.`;
  }
  const file = log.filePath ? `the log file ${log.filePath}` : "the job's log file";
  const onlyHeld = `only the last ${held} held here are searched, older output is in ${file}.`;
  if (whole?.status === 'searching') return `Searching the whole log… Until it answers, ${onlyHeld}`;
  if (whole?.status === 'error') return `Could not search the whole log (${whole.message}): ${onlyHeld}`;
  return `Searching only the last ${held} held here: older output is not searched, it is in ${file}.`;
}
