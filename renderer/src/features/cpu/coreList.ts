/** "0-3,6": the kernel's list format, as /proc/PID/status shows Cpus_allowed_list. */
export function formatCoreList(cores: readonly number[]): string {
  const sorted = [...new Set(cores)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i]! + 1) i++;
    ranges.push(start === sorted[i] ? String(start) : `${start}-${sorted[i]}`);
  }
  return ranges.join(',');
}

/** A distinct, stable colour per core, shared by the chart's lines and the table's swatches. */
export const coreColor = (core: number) => `hsl(${(core * 137.5) % 360} 65% 50%)`;

export const sameCores = (a: readonly number[], b: readonly number[]) =>
  formatCoreList(a) === formatCoreList(b);
