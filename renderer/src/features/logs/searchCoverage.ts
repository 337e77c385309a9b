import type { JobLog } from '../../stores/logsStore';

/**
 * What a search of the log pane covers, said plainly: the pane holds at most the last few
 * thousand lines of output (and the engine keeps only the end of each run in memory), while
 * the log file on disk has everything. Searching the file itself is not done here.
 */
export function describeSearchCoverage(log: JobLog, heldLines: number): string {
  const held = `${heldLines.toLocaleString('en')} line${heldLines === 1 ? '' : 's'}`;
  if (!log.truncated) return `Searching all ${held} of output: nothing older was dropped.`;
  const file = log.filePath ? `the log file ${log.filePath}` : "the job's log file";
  return `Searching only the last ${held} held here: older output is not searched, it is in ${file}.`;
}
