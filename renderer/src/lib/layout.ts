/**
 * Below this width the launch form folds behind a "New job" button: the Jobs grid needs the
 * whole width of a 1024-px window. Keep in step with the media queries in layout.css.
 */
export const NARROW_WINDOW = '(max-width: 1199px)';

/** Below this width of its panel, a grid's row actions fold into one Actions menu. */
export const JOB_GRID_FULL_WIDTH = 1100;
export const PROCESS_GRID_FULL_WIDTH = 900;
