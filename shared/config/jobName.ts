/**
 * A name a config file accepts, made from any job's name ("nightly backup!" → "nightly-backup"),
 * unique among `taken` (adding -2, -3…): a clicked job saved as a definition. Its own module: the
 * renderer uses it without the file schema.
 */
export function toJobName(text: string | undefined, taken: ReadonlySet<string>): string {
  const base = (text ?? '').normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/-+$/, '').slice(0, 90) || 'job';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
