import type { ProcessSortKey, SystemProcess, SystemProcessQuery } from '../../../shared/monitoring';

type Compare = (a: SystemProcess, b: SystemProcess) => number;

// Code-unit order, not localeCompare: a 1000-row list is sorted every tick, and collation costs ~1 µs a call.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byKey: Record<ProcessSortKey, Compare> = {
  cpu: (a, b) => a.cpu - b.cpu,
  memory: (a, b) => a.rss - b.rss,
  pid: (a, b) => a.pid - b.pid,
  user: (a, b) => compareText(a.user, b.user),
  command: (a, b) => compareText(a.command, b.command),
};

/** The query's order; ties fall back to pid so rows with equal values do not swap between ticks. */
export function comparatorOf(sort: ProcessSortKey, descending: boolean): Compare {
  const compare = byKey[sort];
  const sign = descending ? -1 : 1;
  return (a, b) => sign * compare(a, b) || a.pid - b.pid;
}

export function matchesFilter(row: SystemProcess, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return row.command.toLowerCase().includes(needle) || row.user.toLowerCase().includes(needle) || String(row.pid) === needle;
}

/**
 * Depth-first: each process followed by its children, siblings in the query's order, each
 * row with its depth. Rows whose parent is not in the list are roots. With a filter, the
 * ancestors of every match are kept so each match still hangs where it lives.
 */
export function treeOrder(rows: readonly SystemProcess[], query: Pick<SystemProcessQuery, 'sort' | 'descending' | 'filter'>): SystemProcess[] {
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const keep = new Set<number>();
  for (const row of rows) {
    if (!matchesFilter(row, query.filter)) continue;
    for (let at: SystemProcess | undefined = row; at && !keep.has(at.pid); at = byPid.get(at.ppid)) keep.add(at.pid);
  }
  const children = new Map<number, SystemProcess[]>();
  const roots: SystemProcess[] = [];
  for (const row of rows) {
    if (!keep.has(row.pid)) continue;
    const parentKept = row.ppid !== row.pid && keep.has(row.ppid);
    if (!parentKept) roots.push(row);
    else {
      const list = children.get(row.ppid);
      if (list) list.push(row);
      else children.set(row.ppid, [row]);
    }
  }
  const compare = comparatorOf(query.sort, query.descending);
  const ordered: SystemProcess[] = [];
  const stack = roots.sort(compare).reverse().map((row) => ({ row, depth: 0 }));
  while (stack.length > 0) {
    const { row, depth } = stack.pop()!;
    ordered.push({ ...row, depth });
    const kids = (children.get(row.pid) ?? []).sort(compare);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ row: kids[i]!, depth: depth + 1 });
  }
  return ordered;
}

/** Filter, then sort flat or as a tree, then cut to the limit. */
export function orderProcesses(rows: readonly SystemProcess[], query: SystemProcessQuery): SystemProcess[] {
  const ordered = query.tree
    ? treeOrder(rows, query)
    : rows.filter((row) => matchesFilter(row, query.filter)).sort(comparatorOf(query.sort, query.descending));
  return ordered.length > query.limit ? ordered.slice(0, query.limit) : ordered;
}
