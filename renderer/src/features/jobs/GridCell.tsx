import type { ReactNode } from 'react';

interface GridCellProps {
  /** The cell's id among its row's focus stops ("c0", "c1"…). */
  stop: string;
  /** The row's tab stop, if the grid's focus is in this row. */
  activeStop: string | null;
  className?: string;
  title?: string;
  'data-tone'?: string;
  children?: ReactNode;
}

/** A cell of the roving-focus grid: focusable from the keyboard, in the tab order only while it is the grid's stop. */
export function GridCell({ stop, activeStop, children, ...rest }: GridCellProps) {
  return (
    <div role="gridcell" data-stop={stop} tabIndex={activeStop === stop ? 0 : -1} {...rest}>
      {children}
    </div>
  );
}

/** True for a cell's stop id, false for a control's. */
export const cellStop = (stop: string): boolean => /^c\d+$/.test(stop);
