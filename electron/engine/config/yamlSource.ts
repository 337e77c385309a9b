import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import { formatKeyPath, type ConfigProblem, type ConfigProblemKind } from '../../../shared/config/problems';

/**
 * A YAML file read with positions: its value as plain data, and where any key path of it was
 * written. Syntax errors, duplicate keys, keys that are not plain scalars and aliases to
 * nothing are problems with a line and column; a document with any of them has no value.
 */

/** Where a key path points, for a problem: the key itself ("unknown key") or its value ("wrong type"). */
export type PointAt = 'key' | 'value';

/** Turns a key path into a line and column; imports map their own key names onto the source's. */
export interface Locator {
  readonly file: string;
  locate(path: readonly PropertyKey[], at: PointAt): { line: number; column: number };
  /** The key path as the source file spells it, when that is not the config file's (an import's). */
  sourcePath?(path: readonly PropertyKey[]): readonly PropertyKey[];
}

/** Collects problems; each is placed by the locator at the moment it is reported. */
export class ProblemList {
  readonly problems: ConfigProblem[] = [];
  constructor(private readonly locator: Locator) {}

  add(kind: ConfigProblemKind, path: readonly PropertyKey[], message: string, at: PointAt = 'value'): void {
    const { line, column } = this.locator.locate(path, at);
    this.problems.push({ kind, file: this.locator.file, line, column, path: formatKeyPath(this.locator.sourcePath?.(path) ?? path), message });
  }

  get empty(): boolean {
    return this.problems.length === 0;
  }
}

export interface YamlSource {
  locator: YamlLocator;
  /** The document as plain data (merge keys applied); undefined when it has errors. */
  value: unknown;
  errors: ConfigProblem[];
  /** What the YAML reader noticed without refusing it (an unknown tag, kept as a string). */
  warnings: ConfigProblem[];
}

// Far above any real file; an alias chain beyond it is an expansion attack, not a config.
const MAX_ALIAS_COUNT = 1000;

export function readYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true, strict: true });
  const locator = new YamlLocator(file, doc, lineCounter);
  const problems = new ProblemList(locator);
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY' ? describeDuplicate(doc, locator, error.pos[0]) : undefined;
    if (duplicate) problems.problems.push({ kind: 'duplicate-name', file, line, column: col, ...duplicate });
    else problems.problems.push({ kind: 'syntax', file, line, column: col, path: '', message: `YAML syntax: ${firstLine(error.message)}` });
  }
  if (problems.empty) checkKeysAndAliases(doc, locator, problems);
  const warnings = doc.warnings.map((warning): ConfigProblem => ({ kind: 'syntax', file, ...locator.position(warning.pos[0]), path: '', message: `YAML: ${firstLine(warning.message)}` }));
  if (!problems.empty) return { locator, value: undefined, errors: problems.problems, warnings };
  try {
    return { locator, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), errors: [], warnings };
  } catch (error) {
    problems.add('syntax', [], `the file cannot be read: ${(error as Error).message}`);
    return { locator, value: undefined, errors: problems.problems, warnings };
  }
}

const firstLine = (message: string): string => message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');

/** The key path of a repeated key and where it first appeared: "duplicate job name "web" (first at line 3)". */
function describeDuplicate(doc: Document.Parsed, locator: YamlLocator, offset: number): { path: string; message: string } | undefined {
  let found: { path: string; message: string } | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || key.range?.[0] !== offset) return;
      const keys = ancestors.filter((node): node is Pair => isPair(node)).map((outer) => String((outer.key as { value?: unknown })?.value));
      const name = String(key.value);
      const map = ancestors[ancestors.length - 1];
      const first = isMap(map) ? map.items.find((item) => isScalar(item.key) && item.key.value === key.value) : undefined;
      const firstLine = first && (first.key as Node).range ? ` (first at line ${locator.position((first.key as Node).range![0]).line})` : '';
      const what = keys.length === 1 && keys[0] === 'jobs' ? 'job name' : 'key';
      found = { path: formatKeyPath([...keys, name]), message: `duplicate ${what} "${name}"${firstLine}: each name appears once in a mapping` };
      return visit.BREAK;
    },
  });
  return found;
}

/** Keys that would turn into "[object Object]", and aliases whose anchor does not exist, with their places. */
function checkKeysAndAliases(doc: Document.Parsed, locator: YamlLocator, problems: ProblemList): void {
  visit(doc, {
    Pair(_, pair) {
      if (pair.key === null || (isScalar(pair.key) && pair.key.value === null)) problems.problems.push(locator.problemAt(pair.value as Node | null, 'syntax', 'a mapping entry has no key'));
      else if (!isScalar(pair.key) && !isAlias(pair.key)) problems.problems.push(locator.problemAt(pair.key as Node, 'syntax', 'a key must be a plain name, not a mapping or a list'));
    },
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) problems.problems.push(locator.problemAt(alias, 'syntax', `alias *${alias.source} names no anchor (&${alias.source} must come before it)`));
    },
  });
}

export class YamlLocator implements Locator {
  constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  problemAt(node: Node | null, kind: ConfigProblemKind, message: string): ConfigProblem {
    const { line, column } = node?.range ? this.position(node.range[0]) : { line: 1, column: 1 };
    return { kind, file: this.file, line, column, path: '', message };
  }

  /**
   * The deepest node the path reaches (a path into merged or aliased content stops at the
   * entry that brought it in). A block collection points at its key: "web:" rather than the
   * line below it; a flow collection (`{ tcp: … }`) at itself.
   */
  locate(path: readonly PropertyKey[], at: PointAt): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    for (const part of path) {
      const next = childOf(node, part);
      if (!next) break;
      ({ node, pair } = next);
    }
    const keyNode = pair?.key as Node | undefined;
    const valueNode = node as Node | undefined;
    const onKey = at === 'key' || !valueNode?.range || (isCollection(valueNode) && !valueNode.flow);
    const target = onKey ? (keyNode ?? valueNode) : valueNode;
    return target?.range ? this.position(target.range[0]) : { line: 1, column: 1 };
  }
}

function childOf(node: unknown, part: PropertyKey): { node: unknown; pair?: Pair } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
    return pair ? { node: pair.value, pair } : undefined;
  }
  if (isSeq(node) && typeof part === 'number') {
    const item = node.items[part];
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}
