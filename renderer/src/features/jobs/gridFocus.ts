type FocusRequest = (jobId?: string) => void;

let focusGrid: FocusRequest | null = null;

/** The Jobs grid registers how to take focus while it is mounted. */
export function registerGridFocus(request: FocusRequest): () => void {
  focusGrid = request;
  return () => {
    if (focusGrid === request) focusGrid = null;
  };
}

/**
 * Moves focus into the Jobs grid: to a job's row when given (it may appear a frame later, e.g.
 * just launched), else to the grid's current stop. False when no grid is mounted.
 */
export function focusJobGrid(jobId?: string): boolean {
  if (!focusGrid) return false;
  focusGrid(jobId);
  return true;
}

/** How long to wait for a log that is still loading. */
const LOG_WAIT_MS = 3000;

/**
 * Moves focus into the current job's log (arrow keys and Page keys then scroll it). A log
 * still loading is focused once it is there.
 */
export function focusLog(): void {
  const find = () => document.querySelector<HTMLElement>('#view-jobs [role="log"]');
  const now = find();
  if (now) {
    now.focus();
    return;
  }
  const observer = new MutationObserver(() => {
    const log = find();
    if (!log) return;
    observer.disconnect();
    log.focus();
  });
  observer.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), LOG_WAIT_MS);
}
