import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { commandSchema } from './jobSpec';

/**
 * Health probes of a declared service, as the engine runs them (times in ms). A config file
 * writes them in operator words (`readiness: { http: URL, interval: 5s }`, see
 * shared/config/fileSchema.ts); electron/engine/config/ maps that to these objects.
 * Readiness: a run is `starting` until its readiness probe has passed successThreshold times
 * in a row. Liveness: failureThreshold failures in a row restart the run under its restart
 * policy. The defaults are Kubernetes's (and process-compose's).
 */

/** A regular expression's source, checked to compile (JavaScript syntax, no flags). */
export const regexSourceSchema = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(1000, `${what} is longer than 1000 characters`)
    .refine((source) => regexError(source) === undefined, { error: (issue) => `${what} is not a valid regular expression: ${regexError(issue.input as string)}` });

/** Why a regular expression does not compile, or undefined when it does. */
export function regexError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

export const portSchema = lazySchema(() => z.number().int('a port is a whole number').min(1, 'a port is 1 to 65535').max(65_535, 'a port is 1 to 65535'));

/** Statuses that count as success, both ends included (200-399 by default, as Kubernetes). */
export const statusRangeSchema = lazySchema(() => z
  .object({ min: z.number().int().min(100).max(599), max: z.number().int().min(100).max(599) })
  .refine((range) => range.min <= range.max, { message: 'a status range runs upwards (200-299, not 299-200)' }));
export type StatusRange = z.infer<typeof statusRangeSchema>;
export const DEFAULT_STATUS_RANGE: StatusRange = { min: 200, max: 399 };

export const httpProbeCheckSchema = lazySchema(() => z.object({
  kind: z.literal('http'),
  /** GET this URL (http or https); a redirect is not followed, its status counts. */
  url: z.url({ protocol: /^https?$/, error: 'an http probe needs an http:// or https:// URL' }),
  status: statusRangeSchema.default(DEFAULT_STATUS_RANGE),
  /** The body must match this regular expression too. */
  bodyMatch: regexSourceSchema('body match').optional(),
}));

export const tcpProbeCheckSchema = lazySchema(() => z.object({
  kind: z.literal('tcp'),
  /** A host name or address (IPv6 without brackets). */
  host: z.string().min(1, 'a tcp probe needs a host').max(253),
  port: portSchema,
}));

/** Succeeds when the command exits 0 within the timeout; runs in the job's working directory and environment. */
export const execProbeCheckSchema = lazySchema(() => z.object({ kind: z.literal('exec'), command: commandSchema }));

/** Succeeds once a line of the run's output (stdout or stderr) matches. */
export const logProbeCheckSchema = lazySchema(() => z.object({ kind: z.literal('log'), pattern: regexSourceSchema('log pattern') }));

export const PROBE_KINDS = ['http', 'tcp', 'exec', 'log'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

export const probeCheckSchema = lazySchema(() => z.discriminatedUnion('kind', [httpProbeCheckSchema, tcpProbeCheckSchema, execProbeCheckSchema, logProbeCheckSchema]));
export type ProbeCheck = z.output<typeof probeCheckSchema>;

const DAY_MS = 86_400_000;
/** A probe's timings where the file or request gives none (the config file's export leaves these out). */
export const PROBE_TIMING_DEFAULTS = { initialDelayMs: 0, intervalMs: 10_000, timeoutMs: 1000, successThreshold: 1, failureThreshold: 3 } as const;
export const probeSchema = lazySchema(() => z.object({
  check: probeCheckSchema,
  /** Wait this long after the run starts before the first check. */
  initialDelayMs: z.number().int().min(0).max(DAY_MS).default(PROBE_TIMING_DEFAULTS.initialDelayMs),
  /** Time between the starts of two checks. */
  intervalMs: z.number().int().min(100, 'a probe interval is at least 100ms').max(DAY_MS).default(PROBE_TIMING_DEFAULTS.intervalMs),
  /** A check not done within this counts as a failure. */
  timeoutMs: z.number().int().min(1).max(3_600_000).default(PROBE_TIMING_DEFAULTS.timeoutMs),
  /** Successes in a row that make a run ready (readiness) or healthy again. */
  successThreshold: z.number().int().min(1).max(1000).default(PROBE_TIMING_DEFAULTS.successThreshold),
  /** Failures in a row that make a run unhealthy (liveness: restarted under its restart policy). */
  failureThreshold: z.number().int().min(1).max(1000).default(PROBE_TIMING_DEFAULTS.failureThreshold),
}));
export type ProbeInput = z.input<typeof probeSchema>;
export type Probe = z.output<typeof probeSchema>;
