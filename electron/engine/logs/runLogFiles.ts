import { join } from 'node:path';
import type { Settings } from '../../../shared/settings';
import type { RunEvents } from '../backends/backend';
import { EVENT_TICK_MS } from '../eventCoalescer';
import { RunLog } from './runLog';
import type { LogSpace } from './logSpace';

/** Where a run's output is kept; the older parts of a rotated log are beside it as `.1`, `.2`… */
export const runLogPath = (dataDir: string, jobId: string, runId: string) => join(dataDir, 'logs', jobId, `${runId}.log`);

/**
 * A run's log as every backend keeps it: its file under the data dir, rotated and capped by the
 * settings, the live view drained at most liveLogBytesPerSecond. Never throws: a log file that
 * cannot be written stops (and says so), the run goes on. Its files count in `space` (the log budget).
 */
export function createRunLog(
  dataDir: string,
  jobId: string,
  runId: string,
  settings: Settings,
  events: Pick<RunEvents, 'outputWaiting' | 'notice'>,
  space?: LogSpace,
): RunLog {
  const filePath = runLogPath(dataDir, jobId, runId);
  return new RunLog({
    filePath,
    fileMaxBytes: settings.logMaxBytes,
    filesKept: settings.logFilesKept,
    tailMaxBytes: settings.tailMaxBytes,
    liveMaxBytesPerDrain: Math.ceil((settings.liveLogBytesPerSecond * EVENT_TICK_MS) / 1000),
    onPending: () => events.outputWaiting(),
    onFileProblem: (message) => events.notice(message),
    ...(space && { account: space.open(jobId, runId, filePath) }),
  });
}
