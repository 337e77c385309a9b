import type { JobSample, JobSnapshot } from '../../../../shared/jobSnapshot';
import { describeCommand } from '../../../../shared/jobSpec';
import { isActive } from '../../../../shared/jobState';
import type { BatchProgress } from '../../../../shared/scheduling';
import type { JobOrder } from '../../stores/jobTableStore';
import { describeJobState } from '../../../../shared/jobStateText';
import { STATE_ORDER } from './jobState';

/** One row of the Jobs grid: a job (alone, or an item under its expanded batch), or a batch folded into one row. */
export type GridRow =
  | { kind: 'job'; key: string; job: JobSnapshot; depth: 0 | 1 }
  | { kind: 'batch'; key: string; batchId: string; name: string; items: readonly JobSnapshot[]; expanded: boolean };

export interface GridInput {
  jobs: readonly JobSnapshot[];
  filter: string;
  sort: JobOrder;
  /** Current samples, needed only when sorting by CPU or memory. */
  samples: Readonly<Record<string, JobSample>> | null;
  queuePositions?: Readonly<Record<string, number>>;
  batches: Readonly<Record<string, Pick<BatchProgress, 'name'>>>;
  expandedBatches: Readonly<Record<string, true>>;
}

export const batchRowKey = (batchId: string) => `batch:${batchId}`;

/** Live (0), waiting in the queue or for a restart (1), finished (2): the default order's groups. */
function liveRank(job: JobSnapshot): number {
  if (isActive(job.state)) return 0;
  return job.state === 'queued' ? 1 : 2;
}

function matches(job: JobSnapshot, needle: string, queuePositions: Readonly<Record<string, number>>): boolean {
  return (
    job.name.toLowerCase().includes(needle) ||
    describeCommand(job.spec.command).toLowerCase().includes(needle) ||
    describeJobState(job, queuePositions[job.id]).includes(needle) ||
    (job.pid !== undefined && String(job.pid).includes(needle))
  );
}

/** What a row sorts by: its own key for the order, and its newest time for ties. */
interface Keyed<T> {
  value: T;
  key: number | string;
  newest: number;
  id: string;
}

function jobKey(job: JobSnapshot, sort: JobOrder, samples: GridInput['samples']): number | string {
  switch (sort.column) {
    case 'live':
      return liveRank(job);
    case 'name':
      return job.name.toLowerCase();
    case 'state':
      return STATE_ORDER[job.state];
    case 'pid':
      return job.pid ?? -1;
    case 'cpu':
      return samples?.[job.id]?.cpu ?? -1;
    case 'memory':
      return samples?.[job.id]?.rss ?? -1;
    case 'started':
      return job.startedAt ?? job.queuedAt;
  }
}

/** A batch sorts as its liveliest item (state, live order), its total (CPU, memory) or its newest start. */
function batchKey(name: string, items: readonly JobSnapshot[], sort: JobOrder, samples: GridInput['samples']): number | string {
  switch (sort.column) {
    case 'name':
      return name.toLowerCase();
    case 'pid':
      return -1;
    case 'cpu':
    case 'memory': {
      const values = items.map((job) => jobKey(job, sort, samples) as number).filter((value) => value >= 0);
      return values.length === 0 ? -1 : values.reduce((sum, value) => sum + value, 0);
    }
    case 'started':
      return Math.max(...items.map((job) => job.startedAt ?? job.queuedAt));
    default:
      return Math.min(...items.map((job) => jobKey(job, sort, samples) as number));
  }
}

function sorted<T>(entries: Keyed<T>[], sort: JobOrder): T[] {
  const sign = sort.column === 'live' || sort.direction === 'ascending' ? 1 : -1;
  entries.sort((a, b) => {
    if (a.key < b.key) return -sign;
    if (a.key > b.key) return sign;
    // Newest first among equals, so the order is stable as samples and states change.
    return b.newest - a.newest || (a.id < b.id ? -1 : 1);
  });
  return entries.map((entry) => entry.value);
}

function sortJobs(jobs: readonly JobSnapshot[], sort: JobOrder, samples: GridInput['samples']): JobSnapshot[] {
  return sorted(
    jobs.map((job) => ({ value: job, key: jobKey(job, sort, samples), newest: job.queuedAt, id: job.id })),
    sort,
  );
}

/**
 * The grid's rows: filtered, sorted, each batch folded into one row (its items under it when
 * expanded). A filter keeps a batch whose name matches whole, else only its matching items.
 */
export function buildGridRows(input: GridInput): GridRow[] {
  const needle = input.filter.trim().toLowerCase();
  const positions = input.queuePositions ?? {};
  const singles: JobSnapshot[] = [];
  const byBatch = new Map<string, JobSnapshot[]>();
  for (const job of input.jobs) {
    if (job.batchId === undefined) {
      if (!needle || matches(job, needle, positions)) singles.push(job);
      continue;
    }
    let items = byBatch.get(job.batchId);
    if (!items) byBatch.set(job.batchId, (items = []));
    items.push(job);
  }

  const top: Keyed<GridRow>[] = singles.map((job) => ({
    value: { kind: 'job', key: job.id, job, depth: 0 },
    key: jobKey(job, input.sort, input.samples),
    newest: job.queuedAt,
    id: job.id,
  }));
  for (const [batchId, all] of byBatch) {
    const name = input.batches[batchId]?.name ?? `batch ${batchId}`;
    const items = !needle || name.toLowerCase().includes(needle) ? all : all.filter((job) => matches(job, needle, positions));
    if (items.length === 0) continue;
    const key = batchRowKey(batchId);
    top.push({
      value: { kind: 'batch', key, batchId, name, items: sortJobs(items, input.sort, input.samples), expanded: batchId in input.expandedBatches },
      key: batchKey(name, items, input.sort, input.samples),
      newest: Math.max(...items.map((job) => job.queuedAt)),
      id: key,
    });
  }

  const rows: GridRow[] = [];
  for (const row of sorted(top, input.sort)) {
    rows.push(row);
    if (row.kind === 'batch' && row.expanded) {
      for (const job of row.items) rows.push({ kind: 'job', key: job.id, job, depth: 1 });
    }
  }
  return rows;
}

/** Every job a row stands for: itself, or all of a batch's (shown) items. */
export const jobsOfRow = (row: GridRow): readonly JobSnapshot[] => (row.kind === 'job' ? [row.job] : row.items);

/** Every job the rows show, each once (an item under its expanded batch is also its batch row's). */
export const shownJobs = (rows: readonly GridRow[]): JobSnapshot[] =>
  rows.flatMap((row) => (row.kind === 'job' && row.depth === 1 ? [] : jobsOfRow(row)));

/**
 * The job ids between two rows, both included, in grid order (a shift-click or shift+arrow
 * range): a folded batch in the range brings all its items. An item under an expanded batch
 * is listed once even though the batch row above it stands for it too.
 */
export function jobIdsBetween(rows: readonly GridRow[], fromIndex: number, toIndex: number): string[] {
  const [start, end] = fromIndex <= toIndex ? [fromIndex, toIndex] : [toIndex, fromIndex];
  const ids = new Set<string>();
  for (let i = Math.max(0, start); i <= Math.min(rows.length - 1, end); i++) {
    for (const job of jobsOfRow(rows[i]!)) ids.add(job.id);
  }
  return [...ids];
}
