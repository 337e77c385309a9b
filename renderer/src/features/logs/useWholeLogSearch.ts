import { useEffect, useState } from 'react';
import type { CommandResponse } from '../../../../shared/contract';
import { call } from '../../api/procdeck';
import type { LogQuery } from '../../lib/logQuery';
import type { JobLog } from '../../stores/logsStore';

/** Matches asked for at most: as many as the pane holds lines (MAX_LINES). */
export const WHOLE_LOG_MATCHES = 5000;
/** Typing settles before the whole file is read again. */
const TYPING_PAUSE_MS = 250;

export type WholeLogSearch =
  | { status: 'searching' }
  | { status: 'done'; result: CommandResponse<'logs.search'> }
  | { status: 'error'; message: string };

// One search of this tab reads at a time: each reads the whole file (seconds for a big log),
// and the engine refuses more than a few at once. One superseded while it waits is not sent.
let inFlight: Promise<unknown> = Promise.resolve();

/**
 * The search of the log pane over the run's whole log on disk (logs.search), when the pane does
 * not hold all of it (`log.truncated`); undefined when it does, or nothing is searched. The
 * same query as the pane's own filter: plain text or a regular expression, with or without case.
 * Asked again when the query, the job, the run shown or the latest run changes, or on `again()`
 * (output written since is not in an answer).
 */
export function useWholeLogSearch(jobId: string | undefined, log: JobLog | undefined, query: LogQuery): { search?: WholeLogSearch; again(): void } {
  const wanted = jobId !== undefined && log?.status === 'ready' && log.truncated && query.text !== '';
  const run = log?.pastRun?.number;
  const [round, setRound] = useState(0);
  const key = wanted ? JSON.stringify([jobId, run ?? null, log.runId ?? null, query.text, query.regex, query.caseSensitive, round]) : '';
  const [state, setState] = useState<{ key: string; search: WholeLogSearch }>();

  useEffect(() => {
    if (!key || jobId === undefined) return;
    let live = true;
    const timer = setTimeout(() => {
      const request = { jobId, query: query.text, regex: query.regex, caseSensitive: query.caseSensitive, limit: WHOLE_LOG_MATCHES, ...(run !== undefined && { run }) };
      const mine = inFlight.then(() => (live ? call('logs.search', request) : undefined));
      inFlight = mine.catch(() => undefined);
      void mine.then((result) => {
        if (!live || !result) return;
        setState({ key, search: result.ok ? { status: 'done', result: result.value } : { status: 'error', message: result.error.message } });
      });
    }, TYPING_PAUSE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // The key holds every input of the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const again = () => setRound((n) => n + 1);
  if (!key) return { again };
  return { search: state?.key === key ? state.search : { status: 'searching' }, again };
}
