import { z } from 'zod';
import { MISSED_RUN_POLICIES, OVERLAP_POLICIES } from '../schedule';
import { durationTextSchema } from './units';

/**
 * Pieces of the config file's schema used by several keys: paths, commands, the "exactly one
 * of these keys" rule, and the file forms of probes, schedules and watches. Only shapes and
 * patterns here, no transforms, so the JSON Schema generated from them says the same thing.
 */

// eslint-disable-next-line no-control-regex -- a NUL byte is exactly what is refused
const NO_NUL = /^[^\x00]*$/;

/** A file or directory path; relative paths are relative to the config file, ~ is the home directory. */
export const pathTextSchema = (what: string) =>
  z.string({ error: `${what} is a path (text)` }).min(1, `${what} must not be empty`).max(4096, `${what} is longer than 4096 characters`).regex(NO_NUL, `${what} must not contain a NUL byte`);

/** A word of a program's argument list: text, or a number written as one (`[sleep, 10]`). */
const argvWordSchema = z.union([z.string().regex(NO_NUL, 'an argument must not contain a NUL byte'), z.number()], {
  error: 'each word of a command list is text or a number',
});

/** A string runs through the shell (/bin/sh -c); a list is the program and its arguments. */
export const fileCommandSchema = (what: string) =>
  z.union(
    [
      z.string().regex(/\S/, `${what} must not be empty`).regex(NO_NUL, `${what} must not contain a NUL byte`),
      z.array(argvWordSchema).min(1, `${what} as a list needs at least the program`).max(10_001),
    ],
    { error: `${what} is a string (run through the shell) or a list (the program and its arguments)` },
  );

/**
 * An object that sets exactly one of `keys` (a probe checks one thing; an alert watches one
 * amount). Checked twice over: the refinement gives the parser its message, and the
 * JSON Schema's `oneOf` of `required` lets an editor flag the same mistake.
 */
export function exactlyOneOf<T extends z.ZodObject>(schema: T, keys: readonly string[], what: string): T {
  return schema
    .superRefine((value, ctx) => {
      const present = keys.filter((key) => (value as Record<string, unknown>)[key] !== undefined);
      if (present.length === 1) return;
      ctx.addIssue({
        code: 'custom',
        params: { kinds: present, what },
        message:
          present.length === 0
            ? `${what} needs one of ${keys.join(', ')}`
            : `${what} has ${present.join(' and ')}: give only one of ${keys.join(', ')} (write two ${what}s for two checks)`,
      });
    })
    .meta({ oneOf: keys.map((key) => ({ required: [key] })) });
}

const positiveCount = (what: string) => z.number({ error: `${what} is a number` }).int(`${what} is a whole number`).min(1, `${what} is at least 1`).max(1000, `${what} is at most 1000`);

// [::1]:8080 or host:port; the port's range is checked when the file is read.
const TCP_TARGET = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]/]+):\d{1,5}$/;
const HTTP_URL = /^https?:\/\/\S+$/;
const STATUS_RANGE = /^\d{3}(?:-\d{3})?$/;

export const PROBE_KEYS = ['http', 'tcp', 'exec', 'log'] as const;

export const fileProbeSchema = exactlyOneOf(
  z.strictObject({
    http: z.string().regex(HTTP_URL, 'an http probe is a URL: http://127.0.0.1:8080/health').describe('GET this URL (http:// or https://); success is a status in `status`').optional(),
    status: z
      .union([z.number().int().min(100).max(599), z.string().regex(STATUS_RANGE, 'a status is 200 or a range like 200-299')], { error: 'a status is 200 or a range like 200-299' })
      .describe('http only: the status, or range of statuses, that counts as success (default 200-399)')
      .optional(),
    body: z.string().min(1).describe('http only: a regular expression the response body must match').optional(),
    tcp: z.string().regex(TCP_TARGET, 'a tcp probe is HOST:PORT, such as 127.0.0.1:5432 or [::1]:5432').describe('connect to HOST:PORT').optional(),
    exec: fileCommandSchema('an exec probe').describe('run this command (string: through the shell; list: argv); exit 0 is success').optional(),
    log: z.string().min(1).describe('a regular expression; success once a line of output matches').optional(),
    initialDelay: durationTextSchema.describe('wait this long after the start before the first check (default 0s)').optional(),
    interval: durationTextSchema.describe('time between checks (default 10s)').optional(),
    timeout: durationTextSchema.describe('a check slower than this fails (default 1s)').optional(),
    successThreshold: positiveCount('successThreshold').describe('successes in a row to be ready/healthy (default 1)').optional(),
    failureThreshold: positiveCount('failureThreshold').describe('failures in a row to be unhealthy (default 3)').optional(),
  }),
  PROBE_KEYS,
  'probe',
)
  .refine((probe) => probe.http !== undefined || (probe.status === undefined && probe.body === undefined), {
    message: 'status and body belong to an http probe',
    path: ['status'],
  })
  .meta({ dependentRequired: { status: ['http'], body: ['http'] } });
export type FileProbe = z.infer<typeof fileProbeSchema>;

export const fileScheduleSchema = z.union(
  [
    z.string().min(1).describe('a cron expression: "*/5 * * * *" (5 fields; 6 with seconds first), or @hourly, @daily…'),
    z.strictObject({
      cron: z.string({ error: 'a schedule needs cron: "<expression>"' }).min(1).describe('the cron expression'),
      timezone: z.string().min(1).describe('an IANA time zone such as Europe/Paris (default: the machine\'s)').optional(),
      overlap: z.enum(OVERLAP_POLICIES).describe('a run falls due while the last still runs: skip it (default), queue it, or allow both').optional(),
      missed: z.enum(MISSED_RUN_POLICIES).describe('runs missed while Procdeck was down: skip (default) or run-once at start').optional(),
    }),
  ],
  { error: 'a schedule is a cron expression, or a mapping with cron, timezone, overlap, missed' },
);
export type FileSchedule = z.infer<typeof fileScheduleSchema>;

const watchPathsSchema = z.union([pathTextSchema('a watched path'), z.array(pathTextSchema('a watched path')).min(1, 'watch at least one path').max(100)], {
  error: 'watch paths are a path or a list of paths',
});
export const fileWatchSchema = z.union(
  [
    watchPathsSchema,
    z.strictObject({
      paths: watchPathsSchema.describe('files or directories (recursive), relative to this file'),
      debounce: durationTextSchema.describe('changes closer together than this make one restart (default 500ms)').optional(),
      ignore: z.array(z.string().min(1)).max(100).describe('globs of paths whose changes do not count ("**/*.log")').optional(),
    }),
  ],
  { error: 'watch is a path, a list of paths, or a mapping with paths, debounce, ignore' },
);
export type FileWatch = z.infer<typeof fileWatchSchema>;
