export type SortDirection = 'ascending' | 'descending';

export interface SortOrder<K> {
  column: K;
  direction: SortDirection;
}

/**
 * The order after a click on a column's header: the same column flips direction; another
 * starts descending when its natural reading is "biggest first" (CPU, memory, newest),
 * ascending otherwise (names, pids).
 */
export function nextSort<K>(current: SortOrder<K>, column: K, descendingFirst: readonly K[]): SortOrder<K> {
  if (current.column === column) return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { column, direction: descendingFirst.includes(column) ? 'descending' : 'ascending' };
}
