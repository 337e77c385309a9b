import type { ConfigDiffResult } from '../../../../shared/configCommands';

/** The file's own name, for a banner ("procdeck.yaml"); the dialog shows the whole path. */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/** Whether applying the file would change anything. */
export function hasChanges(diff: Pick<ConfigDiffResult, 'added' | 'changed' | 'removed'>): boolean {
  return diff.added.length + diff.changed.length + diff.removed.length > 0;
}

/** "1 added, 2 changed, 1 removed" */
export function countsOf(diff: Pick<ConfigDiffResult, 'added' | 'changed' | 'removed'>): string {
  return `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed`;
}

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * A refused file's error as the engine words it: a headline, then one problem a line
 * ("file:line:column: key: what"). Any other refusal is its headline alone.
 */
export function splitConfigError(message: string): { headline: string; problems: string[] } {
  const [headline = message, ...problems] = message.split('\n');
  return { headline, problems: problems.filter((line) => line.trim() !== '') };
}
