import { abortMessage, excerpt, type ProbeAttempt, type ProbeRunner } from './probeAttempt';
import { MAX_MATCHED_LINE_CHARS, type LogCheck } from './probeSpec';

/** The run's output, one line at a time (stdout and stderr alike); returns the unsubscribe. */
export type LineSource = (listener: (line: string) => void) => () => void;

/**
 * Success is a line matching the regex since the previous attempt (or, if none came yet, within
 * the timeout). A matching line between attempts wakes the tracker, so readiness follows the
 * line at once rather than at the next interval.
 */
export function createLogProbe(check: LogCheck, lines: LineSource): ProbeRunner {
  let matched: string | undefined;
  let attempted = false;
  let waiting: ((line: string) => void) | undefined;
  let wake: (() => void) | undefined;
  const unsubscribe = lines((line) => {
    const head = line.length > MAX_MATCHED_LINE_CHARS ? line.slice(0, MAX_MATCHED_LINE_CHARS) : line;
    if (!check.regex.test(head)) return;
    if (waiting) return waiting(head);
    if (matched !== undefined) return;
    matched = head;
    wake?.();
  });
  const printed = (line: string): ProbeAttempt => ({ ok: true, message: `printed "${excerpt(line, 120)}"` });
  return {
    description: `log ${String(check.regex)}`,
    onWake: (callback) => {
      wake = callback;
    },
    attempt: (signal) => {
      const first = !attempted;
      attempted = true;
      if (matched !== undefined) {
        const line = matched;
        matched = undefined;
        return Promise.resolve(printed(line));
      }
      if (signal.aborted) return Promise.resolve({ ok: false, message: abortMessage(signal) });
      return new Promise((resolve) => {
        const onAbort = () => {
          waiting = undefined;
          resolve({ ok: false, message: first ? 'no matching line yet' : 'no matching line since the previous probe' });
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiting = (line) => {
          waiting = undefined;
          signal.removeEventListener('abort', onAbort);
          resolve(printed(line));
        };
      });
    },
    dispose: () => {
      unsubscribe();
      wake = undefined;
    },
  };
}
