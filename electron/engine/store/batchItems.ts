import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';
import type { BatchRecord } from '../scheduler/batches';
import type { SavedJob } from './savedJob';

/**
 * A big batch as one journal record (`batchSubmitted`): its first job whole (`like`), and each
 * item by what sets it apart: `[id, name, script, queuedAt]`, the name being the spec's too,
 * the script its shell command's, queuedAt its creation time as well. Every other field is
 * the first job's. A batch's items share everything but their script and name (batchBook.ts),
 * so a 100,000-line batch is 4 MB to write instead of 70 MB of whole jobs, and most of the
 * time admitting it went on serialising them. An item that differs in anything else is
 * written whole, in its place: nothing depends on every item fitting the pattern.
 *
 * The `submitted` record (jobs whole) is still what single jobs and small batches write, and
 * what every engine before this one wrote for big batches too; both are read.
 */
export type BatchItem = [id: string, name: string, script: string, queuedAt: number];

export const batchSubmittedSchema = lazySchema(() => z.object({ batch: z.unknown(), like: z.unknown(), items: z.array(z.unknown()) }));
export type BatchSubmitted = z.infer<typeof batchSubmittedSchema>;

const batchItemSchema = lazySchema(() => z.tuple([z.string(), z.string(), z.string(), z.number()]));

/**
 * Same keys, same values (=== each), but for `skip`: the parts of a spec a batch's items
 * share are the same objects. No copies: this runs for every item of a 100,000-line batch.
 */
function sameExcept(a: object, b: object, skip: readonly string[]): boolean {
  let keys = 0;
  for (const key in a) {
    keys++;
    if (!(key in b) || (!skip.includes(key) && (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key])) return false;
  }
  for (const _key in b) keys--;
  return keys === 0;
}

const isEmpty = (value: object) => Object.keys(value).length === 0;
/** What an item sets on its own: its name and command in its spec, its time in its status. */
const OWN_SPEC_FIELDS = ['name', 'command'];
const OWN_STATUS_FIELDS = ['queuedAt', 'restarts'];

const isPlainShell = (command: SavedJob['definition']['spec']['command']): command is { kind: 'shell'; script: string } =>
  command.kind === 'shell' && Object.keys(command).length === 2;

/** What sets `job` apart from `like`, when that is all (see BatchItem); else undefined, and it is written whole. */
export function batchItemOf(like: SavedJob, job: SavedJob): BatchItem | undefined {
  const { definition, status } = job;
  const { spec } = definition;
  const base = like.definition;
  if (!isPlainShell(spec.command) || !isPlainShell(base.spec.command)) return undefined;
  if (definition.name !== spec.name || base.name !== base.spec.name || !sameExcept(spec, base.spec, OWN_SPEC_FIELDS)) return undefined;
  if (definition.createdAt !== status.queuedAt || base.createdAt !== like.status.queuedAt) return undefined;
  if (definition.origin !== base.origin || definition.batchId !== base.batchId) return undefined;
  if (!(definition.labels === base.labels || (isEmpty(definition.labels) && isEmpty(base.labels)))) return undefined;
  if (job.runs.length > 0 || like.runs.length > 0) return undefined;
  // Each job has its own restarts object: the same counters will do.
  if (!sameExcept(status, like.status, OWN_STATUS_FIELDS) || !sameExcept(status.restarts, like.status.restarts, [])) return undefined;
  return [definition.id, definition.name, spec.command.script, status.queuedAt];
}

/** A slice of a batch's items, as the record's `items` list takes them (comma-separated, no brackets). */
export function encodeBatchItems(like: SavedJob, jobs: readonly SavedJob[]): Buffer {
  // One stringify of the slice's list, its brackets cut off: half the time of one per item, joined.
  const list = Buffer.from(JSON.stringify(jobs.map((job) => batchItemOf(like, job) ?? job)));
  return list.subarray(1, list.length - 1);
}

const COMMA = Buffer.from(',');

/**
 * A journal record whose last field is a list, as pieces for one write (never joined into one
 * string): `head` opens the record up to the list's `[`, each slice is part of the list
 * (comma-separated, no brackets), and the record is closed after it.
 */
export function listRecordPieces(head: string, slices: readonly Buffer[]): Buffer[] {
  const pieces: Buffer[] = [Buffer.from(head)];
  for (const slice of slices) {
    if (slice.length === 0) continue;
    if (pieces.length > 1) pieces.push(COMMA);
    pieces.push(slice);
  }
  pieces.push(Buffer.from(']}}'));
  return pieces;
}

/** The record, as pieces for one write. */
export const batchSubmittedRecord = (batch: BatchRecord, like: SavedJob, slices: readonly Buffer[]): Buffer[] =>
  listRecordPieces(`{"batchSubmitted":{"batch":${JSON.stringify(batch)},"like":${JSON.stringify(like)},"items":[`, slices);

/**
 * The saved jobs of a `batchSubmitted` record, as entries to be checked one by one like those
 * of any other record: an item is the first job with its own id, name, script and time. What
 * is not an item (nor `like` an object) is returned as it is, and fails that check on its own.
 */
export function expandBatchItems(record: BatchSubmitted): unknown[] {
  const like = record.like as SavedJob;
  const usable = typeof like === 'object' && like !== null && typeof like.definition === 'object' && like.definition !== null && typeof like.definition.spec === 'object';
  return record.items.map((entry) => {
    const item = batchItemSchema.safeParse(entry);
    if (!item.success) return entry;
    if (!usable) return { like, item: entry };
    const [id, name, script, queuedAt] = item.data;
    const { definition } = like;
    return {
      ...like,
      definition: { ...definition, id, name, createdAt: queuedAt, spec: { ...definition.spec, name, command: { kind: 'shell', script } } },
      status: { ...like.status, queuedAt },
    };
  });
}
