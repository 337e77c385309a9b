/** Slurm's text forms of durations and sizes, as sstat and sacct print them. */

/**
 * "[D-][HH:]MM:SS[.mmm]" -> seconds: "00:00:03" = 3, "01:23.456" = 83.456, "1-02:03:04" = 93784.
 * Undefined for anything else (an empty field, "INVALID", "UNLIMITED").
 */
export function parseSlurmDuration(text: string): number | undefined {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return undefined;
  const [, days, hours, mins, secs] = m;
  return Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3600 + Number(mins) * 60 + Number(secs);
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

/** "1428K" -> 1462272 bytes (Slurm's units are powers of 1024); "0" -> 0; undefined when unreadable. */
export function parseSlurmSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGTP]?)$/i.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]!);
}

/** "cpu=00:00:05,mem=3288K,energy=0" -> Map { cpu => "00:00:05", mem => "3288K", … } */
export function parseTresList(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) entries.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return entries;
}
