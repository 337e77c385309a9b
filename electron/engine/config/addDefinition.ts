import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isNode, isScalar, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import type { DeclaredJob } from '../../../shared/config/declaredJob';
import { EngineError } from '../engineError';
import { exportDefinitions, flowShortLists } from './exportConfig';
import { toFileJob } from './toFileJob';

/**
 * A config file's text with one more definition (or one replaced), everything else as it was:
 * the other definitions, their order, comments and blank lines (the yaml package's document
 * keeps them; a comment after a key moves to its own line). A replaced definition is edited key
 * by key: a key whose value is the same keeps its place and comments. No text yet: a new file
 * with only that definition.
 */
export function textWithDefinition(existing: string | undefined, job: DeclaredJob, options: { file: string; replace: boolean }): string {
  const baseDir = dirname(options.file);
  if (existing === undefined || existing.trim() === '') return exportDefinitions([job], { baseDir, header: 'written by Procdeck (Save as definition)' });
  const doc = parseConfigDocument(existing, options.file);
  if (!isMap(doc.contents)) throw new EngineError('INVALID_SPEC', `${options.file} is not a mapping with jobs: in it`, 'path');
  const jobs = doc.get('jobs', true);
  if (jobs !== undefined && jobs !== null && !isMap(jobs)) throw new EngineError('INVALID_SPEC', `jobs: in ${options.file} is not a mapping of names to definitions`, 'path');
  if (doc.hasIn(['jobs', job.name]) && !options.replace) {
    throw new EngineError('BAD_STATE', `${job.name} is already defined in ${options.file}: choose another name, or replace that definition`, 'name');
  }
  const node = doc.createNode(toFileJob(job, { baseDir }));
  flowShortLists(node);
  const current = doc.getIn(['jobs', job.name], true);
  if (isMap(current)) editKeys(doc, current, node);
  else doc.setIn(['jobs', job.name], node);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** `current` made to say what `wanted` says: keys it no longer has removed (a `<<` merge too: its keys are written out), changed values replaced, new keys appended. */
function editKeys(doc: Document, current: YAMLMap, wanted: YAMLMap): void {
  const keyOf = (pair: Pair) => String(isScalar(pair.key) ? pair.key.value : pair.key);
  const valueOf = (value: unknown) => (isNode(value) ? value.toJS(doc) : value);
  const next = new Map((wanted.items as Pair[]).map((pair) => [keyOf(pair), pair]));
  current.items = (current.items as Pair[]).filter((pair) => next.has(keyOf(pair)));
  for (const [key, pair] of next) {
    const kept = (current.items as Pair[]).find((candidate) => keyOf(candidate) === key);
    if (!kept) current.items.push(pair);
    else if (!isDeepStrictEqual(valueOf(kept.value), valueOf(pair.value))) kept.value = pair.value;
  }
}

/** A config file's text with one definition's autostart set (or its key removed: false is the default), everything else as it was. */
export function textWithAutostart(existing: string, name: string, autostart: boolean, file: string): string {
  const doc = parseConfigDocument(existing, file);
  if (!doc.hasIn(['jobs', name])) throw new EngineError('NOT_FOUND', `${file} has no definition named ${name}`, 'name');
  if (autostart) doc.setIn(['jobs', name, 'autostart'], true);
  else doc.deleteIn(['jobs', name, 'autostart']);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** The file's YAML as a document that keeps its comments and layout, or INVALID_SPEC when it does not parse. */
function parseConfigDocument(text: string, file: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new EngineError('INVALID_SPEC', `${file} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}): fix it first`, 'path');
  return doc;
}
