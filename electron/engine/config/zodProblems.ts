import type { z } from 'zod';
import { didYouMean } from './didYouMean';
import type { ProblemList } from './yamlSource';

/**
 * zod's issues for a file, said in operator words at the place they concern: an unknown key
 * at that key with a "did you mean", a wrong type naming what was expected and what was
 * found, a value outside its set with the set. For a key that takes several forms (command:
 * a string or a list), the form the operator evidently chose is the one whose complaint is
 * reported.
 */

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export function reportZodIssues(issues: readonly Issue[], schema: z.ZodType, value: unknown, problems: ProblemList, base: Path = []): void {
  for (const issue of issues) reportIssue(issue, schema, value, problems, base);
}

function reportIssue(issue: Issue, schema: z.ZodType, root: unknown, problems: ProblemList, base: Path): void {
  const path = [...base, ...issue.path];
  const actual = valueAt(root, path);
  const key = String(path[path.length - 1] ?? 'the file');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path);
      for (const unknown of issue.keys) {
        const hint = didYouMean(unknown, known) || (known.length ? ` (known here: ${known.join(', ')})` : '');
        problems.add('unknown-key', [...path, unknown], `unknown key "${unknown}"${hint}`, 'key');
      }
      return;
    }
    case 'invalid_union': {
      if (actual === undefined) return problems.add('missing-key', path, `${key} is required here`, 'key');
      const chosen = chosenBranch(issue, actual);
      if (chosen) reportZodIssues(chosen, schema, root, problems, path);
      else problems.add('wrong-type', path, `${issue.message}${got(actual)}`);
      return;
    }
    case 'invalid_type':
      if (actual === undefined) problems.add('missing-key', path, path.length === 0 ? 'the file is empty: it needs a jobs: mapping' : isDefault(issue.message) ? `${key} is required here` : issue.message, 'key');
      else if (path.length === 0) problems.add('wrong-type', path, actual === null ? 'the file is empty: it needs a jobs: mapping' : `the file must be a mapping with jobs:, not ${describe(actual)}`);
      else problems.add('wrong-type', path, isDefault(issue.message) ? `${key} must be ${article(issue.expected)}, not ${describe(actual)}` : `${issue.message}, not ${describe(actual)}`);
      return;
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const hint = typeof actual === 'string' ? didYouMean(actual, values) : '';
      const message = isDefault(issue.message) ? `${key} must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}` : issue.message;
      // A key left out whose value is one of a set (a long-form dependency without its condition).
      if (actual === undefined) return problems.add('missing-key', path, `${key} is required here: ${message}`, 'key');
      problems.add('bad-value', path, `${message}${got(actual)}${hint}`);
      return;
    }
    case 'invalid_key': {
      const nested = issue.issues[0];
      problems.add('bad-value', path, `${nested && !isDefault(nested.message) ? nested.message : 'not a valid name'}${got(key)}`, 'key');
      return;
    }
    case 'custom': {
      const { kinds, what } = (issue.params ?? {}) as { kinds?: unknown; what?: unknown };
      problems.add(what === 'probe' && Array.isArray(kinds) && kinds.length > 1 ? 'probe-kinds' : 'bad-value', path, issue.message);
      return;
    }
    case 'too_small':
    case 'too_big':
      problems.add('bad-value', path, `${isDefault(issue.message) ? boundMessage(issue, key) : issue.message}${got(actual)}`);
      return;
    default:
      problems.add('bad-value', path, `${issue.message}${got(actual)}`);
  }
}

/**
 * Of a union's branches, the one the value was meant for: the single branch that did not
 * fail on the value's own type (a string given to `command` fails the list branch on its
 * type, and the string branch on what it says). None when every branch failed on the type
 * or several failed on content: then the union's own message, which names every form.
 */
function chosenBranch(issue: Extract<Issue, { code: 'invalid_union' }>, actual: unknown): Issue[] | undefined {
  const fitting = issue.errors.filter((branch) => !branch.every((inner) => inner.path.length === 0 && mismatchesType(inner, actual)));
  return fitting.length === 1 ? fitting[0] : undefined;
}

function mismatchesType(issue: Issue, actual: unknown): boolean {
  if (issue.code === 'invalid_type') return true;
  if (issue.code === 'invalid_union') return issue.errors.every((branch) => branch.every((inner) => inner.path.length === 0 && mismatchesType(inner, actual)));
  // A literal of another type (`leak: true` given "yes") is a mismatch of type, not of value.
  if (issue.code === 'invalid_value') return issue.values.every((v) => typeof v !== typeof actual);
  return false;
}

// zod's own messages start so; a schema's message in operator words does not.
const isDefault = (message: string): boolean => /^(Invalid|Too (small|big)|Unrecognized)/.test(message);

function boundMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, key: string): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
  if (issue.origin === 'string') return small && bound === 1 ? `${key} must not be empty` : `${key} must have ${small ? 'at least' : 'at most'} ${bound} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return `${key} must have ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
  return `${key} must be ${small ? 'at least' : 'at most'} ${bound}`;
}

const article = (expected: string): string => (({ object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false', int: 'a whole number' }) as Record<string, string>)[expected] ?? expected;

function describe(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${short(value)}`;
  if (typeof value === 'boolean') return `${value}`;
  return `${typeof value === 'number' ? 'the number' : typeof value} ${String(value)}`;
}

const short = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** " (got "5")" for a scalar the operator wrote; nothing for collections, which the position shows. */
function got(value: unknown): string {
  if (typeof value === 'string') return ` (got ${short(value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return ` (got ${value})`;
  if (value === null) return ' (got an empty value)';
  return '';
}

export function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

interface DefView {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
}
const defOf = (schema: z.ZodType): DefView => schema._zod.def as unknown as DefView;

/** The keys an object schema at `path` knows (every branch's, under a union), for a "did you mean". */
export function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  return [...new Set(schemasAt(schema, path).flatMap((s) => Object.keys(defOf(s).shape ?? {})))];
}

function schemasAt(schema: z.ZodType, path: Path): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType) return schemasAt(def.innerType, path);
  if (def.type === 'pipe' && def.in) return schemasAt(def.in, path);
  if (def.options) return def.options.flatMap((option) => schemasAt(option, path));
  if (path.length === 0) return [schema];
  const [head, ...rest] = path;
  if (def.shape) return def.shape[String(head)] ? schemasAt(def.shape[String(head)]!, rest) : [];
  if (def.valueType) return schemasAt(def.valueType, rest);
  if (def.element) return schemasAt(def.element, rest);
  return [];
}
