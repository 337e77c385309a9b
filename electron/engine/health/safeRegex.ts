import { checkSafeRegex } from '../../../shared/safeRegex';
import { EngineError } from '../engineError';

export { findNestedQuantifier } from '../../../shared/safeRegex';

/**
 * Compiles an operator's regular expression that will be run against text a job controls (its
 * output lines, its HTTP body), or refuses it naming the field and why (shared/safeRegex.ts:
 * nested repetition would take exponential time on the engine's one thread); the input is also
 * capped by the callers (MAX_MATCHED_LINE_CHARS, MAX_BODY_BYTES).
 */
export function compileSafeRegex(pattern: string, flags: string | undefined, field: string): RegExp {
  if (typeof pattern !== 'string') throw new EngineError('INVALID_SPEC', `${field}: the regular expression is empty`, field);
  const checked = checkSafeRegex(pattern, flags);
  if (!checked.ok) throw new EngineError('INVALID_SPEC', `${field}: ${checked.problem}`, field);
  return checked.regex;
}
