/**
 * The check of an operator's regular expression that will be run against text a job controls
 * (its output lines, its HTTP body): one rule, and one wording, for the engine (log probes,
 * logs.search: health/safeRegex.ts) and the UI (the log pane's own filter). JavaScript regexes
 * backtrack: a repeated group that itself repeats, like `(a+)+$`, takes exponential time on a
 * line a job chose, and the one thread matching it would hang. Such patterns are refused with
 * the reason; the input is also capped by the callers.
 */

/** Text as a regular expression that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export const MAX_PATTERN_CHARS = 1_000;
/** `g` and `y` make RegExp.test stateful (lastIndex), so the same line could match once and not the next time. */
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u']);

/** The compiled expression, or what is wrong with it in the operator's words. */
export function checkSafeRegex(pattern: string, flags = ''): { ok: true; regex: RegExp } | { ok: false; problem: string } {
  if (pattern.length === 0) return { ok: false, problem: 'the regular expression is empty' };
  if (pattern.length > MAX_PATTERN_CHARS) return { ok: false, problem: `the regular expression is longer than ${MAX_PATTERN_CHARS} characters` };
  for (const flag of flags) {
    if (!ALLOWED_FLAGS.has(flag)) return { ok: false, problem: `flag '${flag}' is not allowed (use i, m, s or u)` };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    return { ok: false, problem: `not a valid regular expression: ${(error as Error).message}` };
  }
  const nested = findNestedQuantifier(pattern);
  if (nested !== undefined) {
    return {
      ok: false,
      problem: `/${pattern}/ repeats a group that itself repeats (at character ${nested + 1}), which can take exponential time on a line the job prints; rewrite it without the nested repetition`,
    };
  }
  return { ok: true, regex };
}

interface GroupScan {
  containsQuantifier: boolean;
}

/** Index of the `)` of a repeated group containing a quantifier, or undefined when there is none. */
export function findNestedQuantifier(pattern: string): number | undefined {
  const groups: GroupScan[] = [{ containsQuantifier: false }];
  const top = () => groups[groups.length - 1]!;
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === '\\') {
      i += 2;
      continue;
    }
    if (char === '[') {
      i = endOfClass(pattern, i);
      continue;
    }
    if (char === '(') {
      groups.push({ containsQuantifier: false });
      i += 1;
      // A group's own modifiers ((?:, (?=, (?<name>) are not quantifiers.
      if (pattern[i] === '?') i += 1;
      continue;
    }
    if (char === ')') {
      const closed = groups.length > 1 ? groups.pop()! : { containsQuantifier: false };
      const quantifier = quantifierAt(pattern, i + 1);
      if (quantifier && quantifier.repeats && closed.containsQuantifier) return i;
      if (closed.containsQuantifier || quantifier) top().containsQuantifier = true;
      i += 1 + (quantifier?.length ?? 0);
      continue;
    }
    const quantifier = quantifierAt(pattern, i);
    if (quantifier) {
      if (quantifier.repeats) top().containsQuantifier = true;
      i += quantifier.length;
      continue;
    }
    i += 1;
  }
  return undefined;
}

/** A quantifier starting at `at`: its length (with a lazy `?`), and whether it can repeat more than once. */
function quantifierAt(pattern: string, at: number): { length: number; repeats: boolean } | undefined {
  const char = pattern[at];
  let length: number;
  let repeats: boolean;
  if (char === '*' || char === '+') {
    length = 1;
    repeats = true;
  } else if (char === '?') {
    length = 1;
    repeats = false;
  } else if (char === '{') {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
    if (!braces) return undefined;
    length = braces[0].length;
    const max = braces[2] === undefined ? Number(braces[1]) : braces[3] === '' ? Infinity : Number(braces[3]);
    repeats = max > 1;
  } else {
    return undefined;
  }
  if (pattern[at + length] === '?') length += 1;
  return { length, repeats };
}

function endOfClass(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i += 1;
  if (pattern[i] === ']') i += 1;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}
