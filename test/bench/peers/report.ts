// Medians, units and the printed table of the peer bench.
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
export const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`);
export const pct = (value: number) => `${value.toFixed(2)} %`;
/** How many times `value` is `baseline`: for costs, below 1 means Procdeck spends less. */
export const times = (value: number, baseline: number) => (baseline > 0 ? `${(value / baseline).toFixed(2)}×` : '—');

/** One row: a figure for each tool (undefined: not measured), and Procdeck's value as a multiple of each peer's. */
export interface Row {
  figure: string;
  procdeck?: number;
  pm2?: number;
  supervisord?: number;
  format: (value: number) => string;
  /** Printed instead of the ratio columns (e.g. a baseline that is not PM2 or supervisord). */
  note?: string;
}

const cell = (value: number | undefined, format: (v: number) => string) => (value === undefined || Number.isNaN(value) ? '—' : format(value));

export function printTable(title: string, rows: readonly Row[], columns: { pm2: string; supervisord: string }): void {
  console.log(`\n${title}\n`);
  console.log(`| figure | Procdeck | ${columns.pm2} | ${columns.supervisord} | Procdeck ÷ PM2 | Procdeck ÷ supervisord |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const ratios = row.note
      ? `${row.note} | `
      : [row.pm2, row.supervisord]
        .map((peer) => (row.procdeck === undefined || peer === undefined || Number.isNaN(peer) ? '—' : times(row.procdeck, peer)))
        .join(' | ');
    console.log(`| ${row.figure} | ${cell(row.procdeck, row.format)} | ${cell(row.pm2, row.format)} | ${cell(row.supervisord, row.format)} | ${ratios} |`);
  }
}

/** A target of issue 15 and whether this run met it. */
export function printTarget(what: string, met: boolean | undefined, detail: string): void {
  console.log(`  ${met === undefined ? 'NOT MEASURED' : met ? 'met   ' : 'MISSED'}  ${what}: ${detail}`);
}
