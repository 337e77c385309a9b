import type { ErrorCode } from '../../../shared/errors';

/**
 * The HTTP status of each of the contract's typed errors: the one table, used by the API
 * and by the OpenAPI document. A Record, so a new error code does not compile without one.
 * The body always carries the code itself; the status is for tools that look no further.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_REQUEST: 400,
  INVALID_SIGNAL: 400,
  UNKNOWN_COMMAND: 404,
  NOT_FOUND: 404,
  // The request is well-formed but names something that cannot run as written.
  INVALID_SPEC: 422,
  COMMAND_NOT_FOUND: 422,
  NOT_EXECUTABLE: 422,
  CWD_NOT_FOUND: 422,
  POLICY_DENIED: 403,
  // The kernel (or a guard in front of it) refused: permission, pid 1, the engine's own ancestors.
  SYSTEM_REFUSED: 403,
  BAD_STATE: 409,
  // Send the same request again with the `confirm` value the error names.
  NEEDS_CONFIRMATION: 409,
  // This machine lacks what the request needs (taskset, bubblewrap, /proc…).
  UNSUPPORTED: 501,
  // The kernel would not start the process (resources): a later attempt may work.
  SPAWN_FAILED: 503,
  INTERNAL: 500,
};

export const statusOfError = (code: ErrorCode): number => ERROR_STATUS[code];
