import type { JobCommand } from '../../../shared/jobSpec';
import { PROBE_TIMING_DEFAULTS } from '../../../shared/probes';

/**
 * What a probe runner needs, in the engine's own terms (milliseconds, parsed targets). The
 * config file's shared types (`readiness:` / `liveness:` with `http: URL`, `interval: 5s`…) are
 * mapped onto these where a definition is loaded; `normalizeProbe` checks them either way.
 */
export type ProbeRole = 'readiness' | 'liveness';

export interface ProbeTimingInput {
  /** Wait before the first probe. Default 0. */
  initialDelayMs?: number;
  /** From the start of one probe to the start of the next (or the end of the previous one, if it took longer). Default 10 s. */
  intervalMs?: number;
  /** One probe's deadline: an HTTP exchange, a TCP connect, a command (killed with its process group), a log line. Default 1 s. */
  timeoutMs?: number;
  /** Consecutive successes that make the run healthy. Default 1. */
  successThreshold?: number;
  /** Consecutive failures that make it unhealthy. Default 3. */
  failureThreshold?: number;
}

export interface HttpProbeInput extends ProbeTimingInput {
  kind: 'http';
  /** http:// or https://; GET. */
  url: string;
  /** Inclusive status range that counts as success. Default 200–399 (a redirect is judged by its own status unless followRedirects). */
  status?: { min: number; max: number };
  /** The body (its first MAX_BODY_BYTES) must contain this text, or match this regular expression. */
  body?: { contains: string } | { regex: string; flags?: string };
  /** Follow up to MAX_REDIRECTS redirects (http/https only), all within the one timeout. Default false. */
  followRedirects?: boolean;
  headers?: Record<string, string>;
}

export interface TcpProbeInput extends ProbeTimingInput {
  kind: 'tcp';
  /** HOST:PORT, or [IPv6]:PORT. */
  target: string;
}

export interface ExecProbeInput extends ProbeTimingInput {
  kind: 'exec';
  /** A string runs through the shell, a list is argv. Success is exit 0 within the timeout. */
  command: string | readonly string[];
}

export interface LogProbeInput extends ProbeTimingInput {
  kind: 'log';
  /** A regular expression matched against each output line of the run (its first MAX_MATCHED_LINE_CHARS). */
  regex: string;
  flags?: string;
}

export type ProbeInput = HttpProbeInput | TcpProbeInput | ExecProbeInput | LogProbeInput;

export interface ProbeTiming {
  initialDelayMs: number;
  intervalMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

export type BodyMatch = { kind: 'contains'; text: string } | { kind: 'regex'; regex: RegExp };

export interface HttpCheck {
  kind: 'http';
  url: URL;
  statusMin: number;
  statusMax: number;
  body?: BodyMatch;
  followRedirects: boolean;
  headers: Record<string, string>;
}

export interface TcpCheck {
  kind: 'tcp';
  host: string;
  port: number;
}

export interface ExecCheck {
  kind: 'exec';
  command: JobCommand;
}

export interface LogCheck {
  kind: 'log';
  regex: RegExp;
}

export type ProbeCheck = HttpCheck | TcpCheck | ExecCheck | LogCheck;

/** A checked probe: its check with parsed targets, and every timing filled in. */
export interface ProbeDefinition {
  check: ProbeCheck;
  timing: ProbeTiming;
}

/** The schema's own defaults (shared/probes.ts). */
export const PROBE_DEFAULTS: ProbeTiming = PROBE_TIMING_DEFAULTS;

/** A shorter interval turns a probe into a busy loop against the service. */
export const MIN_INTERVAL_MS = 100;
export const MIN_TIMEOUT_MS = 10;
export const MAX_THRESHOLD = 1_000;
/** How much of an HTTP body is read: a service that streams forever must not cost more than this per probe. */
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_REDIRECTS = 5;
/** A hostile run can print a line of any length; the regex sees only its start. */
export const MAX_MATCHED_LINE_CHARS = 16 * 1024;
