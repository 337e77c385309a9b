import type { Style } from './style';
import { printable } from './style';

export interface Column<T> {
  header: string;
  cell(row: T): string;
  /** Colours the padded cell (after alignment, so escape codes never count as width). */
  color?(row: T, style: Style): ((text: string) => string) | undefined;
  align?: 'right';
}

/** Columns apart by two spaces, headers first; the last column is cut to `maxWidth` when one is given (a terminal). */
export function renderTable<T>(columns: Column<T>[], rows: T[], style: Style, maxWidth?: number): string {
  const cells = rows.map((row) => columns.map((column) => printable(column.cell(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
  const pad = (text: string, i: number) => (columns[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const fit = (line: string[]) => {
    const last = line.length - 1;
    const before = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
    const room = maxWidth === undefined ? Infinity : Math.max(10, maxWidth - before);
    return line.map((text, i) => (i === last && text.length > room ? `${text.slice(0, room - 1)}…` : text));
  };
  const header = fit(columns.map((c) => c.header))
    .map((text, i) => (i === columns.length - 1 ? text : pad(text, i)))
    .join('  ');
  const body = rows.map((row, r) =>
    fit(cells[r]!)
      .map((text, i) => {
        const padded = i === columns.length - 1 && columns[i]!.align !== 'right' ? text : pad(text, i);
        return columns[i]!.color?.(row, style)?.(padded) ?? padded;
      })
      .join('  ')
      .trimEnd(),
  );
  return [style.bold(header.trimEnd()), ...body].join('\n') + '\n';
}
