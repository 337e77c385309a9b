import { z } from 'zod';

export const errorCodeSchema = z.enum([
  'INVALID_REQUEST', // the request did not match the command's schema
  'UNKNOWN_COMMAND',
  'INVALID_SPEC', // a job spec that cannot run as written
  'POLICY_DENIED', // the command policy refuses the job's program
  'COMMAND_NOT_FOUND',
  'NOT_EXECUTABLE',
  'CWD_NOT_FOUND',
  'SPAWN_FAILED',
  'NOT_FOUND', // no such job
  'BAD_STATE', // e.g. stdin to a job that has ended
  'INVALID_SIGNAL',
  'UNSUPPORTED', // this machine lacks what the request needs (taskset, bwrap, cgroups…)
  'SYSTEM_REFUSED', // the kernel refused (permission, no such process)
  'NEEDS_CONFIRMATION', // the request may go ahead only with the second confirmation named in `confirm`
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const procdeckErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Dotted path of the offending field, when one field is to blame (e.g. "command.program"). */
  field: z.string().optional(),
  /** With NEEDS_CONFIRMATION: the value of the request's `confirm` field that lets it go ahead (the message says why). */
  confirm: z.string().optional(),
});
export type ProcdeckErrorPayload = z.infer<typeof procdeckErrorSchema>;
