/** One probe's outcome, in words that complete "readiness: GET http://…/ …" ("returned 503", "connection refused"). */
export interface ProbeAttempt {
  ok: boolean;
  message: string;
}

/** What a probe runner does once per attempt; the tracker owns timing, thresholds and states. */
export interface ProbeRunner {
  /** The target in operator words: "GET http://127.0.0.1:8080/", "tcp 127.0.0.1:5432". */
  readonly description: string;
  /**
   * Settles once the attempt is over and has left nothing behind (socket closed, process group
   * killed and reaped). After `signal` aborts (timeout, dispose) it settles promptly, as a
   * failure whose message is the abort's reason.
   */
  attempt(signal: AbortSignal): Promise<ProbeAttempt>;
  /** Log probes: lets a matching line start an attempt at once instead of at the next interval. */
  onWake?(wake: () => void): void;
  /** Releases what the runner holds between attempts (a log subscription). */
  dispose(): void;
}

/** Why an attempt was aborted, as the tracker worded it ("timed out after 1 s"). */
export function abortMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted';
}

// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text a job produced (its output, a line, a body), shortened to fit in one reason: on one line,
 * control characters (escape sequences, bidi overrides) replaced, at most `max` characters.
 */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').replace(CONTROL, '\ufffd').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
