import { formatCoreList } from '../../../shared/format';

/** A distinct, stable colour per core, shared by the chart's lines and the table's swatches. */
export const coreColor = (core: number) => `hsl(${(core * 137.5) % 360} 65% 50%)`;

export const sameCores = (a: readonly number[], b: readonly number[]) =>
  formatCoreList(a) === formatCoreList(b);
