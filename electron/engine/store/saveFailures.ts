import { describeFsError } from './fsErrors';

const RETRY_MAX_MS = 30_000;

/**
 * Saves that are failing now, by what they write ('journal', 'jobs.json'): each is reported
 * once when it starts failing and once when it works again, never once per attempt, and is
 * retried with a growing delay so that a full disk is not hammered with writes.
 */
export class SaveFailures {
  private readonly failing = new Map<string, { reason: string; failures: number }>();

  constructor(private readonly report: (message: string) => void) {}

  /** Records a failure; returns how long to wait before trying again. */
  failed(channel: string, what: string, error: unknown): number {
    let failing = this.failing.get(channel);
    if (!failing) {
      this.failing.set(channel, (failing = { reason: `${what} (${describeFsError(error)})`, failures: 0 }));
      this.report(`${failing.reason}; the saved files are left as they were, and saving is retried`);
    }
    failing.failures++;
    return Math.min(RETRY_MAX_MS, 500 * 2 ** Math.min(failing.failures, 6));
  }

  succeeded(channel: string): void {
    const failing = this.failing.get(channel);
    if (!failing) return;
    this.failing.delete(channel);
    this.report(`saving works again (it had failed: ${failing.reason})`);
  }
}
