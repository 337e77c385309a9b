import type { ZodError } from 'zod';
import type { ErrorCode, ProcdeckErrorPayload } from '../../shared/errors';

/** An error the engine means to report to the operator, with a code the UI can act on. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** With NEEDS_CONFIRMATION: what to send as the request's `confirm` to go ahead. */
    readonly confirm?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }

  toPayload(): ProcdeckErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined && { field: this.field }),
      ...(this.confirm !== undefined && { confirm: this.confirm }),
    };
  }

  /** One readable sentence per zod issue, each prefixed by the field it concerns. */
  static fromZod(code: ErrorCode, error: ZodError, prefix = ''): EngineError {
    const first = error.issues[0];
    const field = first ? [prefix, ...first.path.map(String)].filter(Boolean).join('.') : undefined;
    const message = error.issues
      .map((issue) => {
        const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
        // A bad record key reports "Invalid key in record"; the useful sentence is nested.
        const text = 'issues' in issue && issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
        return path ? `${path}: ${text}` : text;
      })
      .join('; ');
    return new EngineError(code, message, field || undefined);
  }
}

export function toErrorPayload(error: unknown): ProcdeckErrorPayload {
  if (error instanceof EngineError) return error.toPayload();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
