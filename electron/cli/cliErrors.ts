import type { ProcdeckErrorPayload } from '../../shared/errors';

/** Exit codes: the request failed (the message says what was wrong), or the command line was wrong. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A failure the CLI reports in one line on stderr, then exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** The engine answered a command with one of the contract's typed errors. */
export class RequestFailed extends CliError {
  constructor(
    readonly command: string,
    readonly error: ProcdeckErrorPayload,
  ) {
    super(`${error.message}${error.field ? ` (field ${error.field})` : ''} [${error.code}]`);
    this.name = 'RequestFailed';
  }
}
