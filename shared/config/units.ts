import { z } from 'zod';

/**
 * The amounts a config file writes in operator words, and how they read and print: durations
 * ("500ms", "5s", "1h30m"), sizes ("512MiB", "2G"), core lists ("0,1", "0-3") and percentages
 * ("90%"). Each has a zod schema with a regex (so the generated JSON Schema carries it as a
 * `pattern` and an editor flags a typo), a parser to the engine's number, and a printer whose
 * output the parser reads back to the same number.
 */

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|min|s|m|h|d)/g;
/** One or more number+unit parts: 500ms, 5s, 2m, 2min, 1h30m, 1d. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|min|s|m|h|d))+$/;

export const durationTextSchema = z
  .string({ error: 'a duration is text with a unit, such as 500ms, 5s, 2m, 1h or 1d' })
  .regex(DURATION_PATTERN, 'a duration is a number with a unit: 500ms, 5s, 2m, 1h, 1d (or parts like 1h30m)');

/** Milliseconds of a duration text the schema accepted; may be fractional ("0.5ms"). */
export function parseDuration(text: string): number {
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  return ms;
}

/** The largest unit that divides the amount exactly: 90000 → "90s", 5400000 → "90m", 1500 → "1500ms". */
export function formatDurationText(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const SIZE_SCALE: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };
const SIZE_PARTS = /^(\d+(?:\.\d+)?)\s?(?:([KMGTP])(?:i?B|i)?|B)$/i;
/** 512MiB, 2G, 1.5GiB, 2Gi, 64KB, 100B: every unit is a power of 1024 (as Slurm, systemd and docker read them). */
export const SIZE_PATTERN = /^\d+(?:\.\d+)?\s?(?:[KkMmGgTtPp](?:i?[Bb]|i)?|[Bb])$/;

export const sizeTextSchema = z
  .string({ error: 'a size is text with a unit, such as 512MiB or 2G' })
  .regex(SIZE_PATTERN, 'a size is a number with a unit: 512MiB, 2G, 64K, 100B (K, M, G, T are powers of 1024)');

/** Whole bytes of a size text the schema accepted (rounded: 0.3K is 307 bytes). */
export function parseSize(text: string): number {
  const [, amount, prefix] = SIZE_PARTS.exec(text)!;
  return Math.round(Number(amount) * SIZE_SCALE[(prefix ?? '').toUpperCase()]!);
}

/** The largest binary unit that divides the amount exactly: "512MiB", "1536MiB", "100B". */
export function formatSizeText(bytes: number): string {
  for (const [unit, size] of [['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

export const MAX_CORE = 4095;
/** "0,1", "0-3,6": the kernel's list syntax (taskset -c, Cpus_allowed_list). */
export const CORE_LIST_PATTERN = /^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$/;

const coreNumberSchema = z
  .number({ error: 'a core is a number' })
  .int('a core is a whole number')
  .min(0, 'a core number must not be negative')
  .max(MAX_CORE, `a core number is at most ${MAX_CORE}`);
const coreRangeTextSchema = z
  .string()
  .regex(CORE_LIST_PATTERN, 'cores are written 0,1 or 0-3 (a list of numbers and ranges)')
  .refine((text) => rangesOf(text).every(([from, to]) => from <= to && to <= MAX_CORE), {
    message: `a core range runs upwards (0-3, not 3-0), up to core ${MAX_CORE}`,
  });

/** Cores as text ("0,1", "0-3"), one number, or a list of numbers and ranges. */
export const coresSchema = z.union([coreNumberSchema, coreRangeTextSchema, z.array(z.union([coreNumberSchema, coreRangeTextSchema])).min(1, 'choose at least one core')], {
  error: 'cores are a number, text like "0,1" or "0-3", or a list of them',
});
export type CoresText = z.infer<typeof coresSchema>;

function rangesOf(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [from, to] = part.split('-').map(Number);
    return [from!, to ?? from!];
  });
}

/** The cores in the order written, each once. */
export function parseCores(cores: CoresText): number[] {
  const parts = Array.isArray(cores) ? cores : [cores];
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else for (const [from, to] of rangesOf(part)) for (let core = from; core <= to; core++) out.push(core);
  }
  return [...new Set(out)];
}

/** "0-3,6" when the cores ascend (the kernel's syntax), else the list in its order (round-robin takes them in turn). */
export function formatCores(cores: readonly number[]): string | number[] {
  const ascending = cores.every((core, i) => i === 0 || core > cores[i - 1]!);
  if (!ascending) return [...cores];
  const ranges: string[] = [];
  for (let i = 0; i < cores.length; i++) {
    const start = cores[i]!;
    while (i + 1 < cores.length && cores[i + 1] === cores[i]! + 1) i++;
    ranges.push(start === cores[i] ? String(start) : `${start}-${cores[i]}`);
  }
  return ranges.join(',');
}

export const PERCENT_PATTERN = /^\d+(?:\.\d+)?\s?%$/;
/** 90%, 250% (of one core), or a bare number of percent. */
export const percentSchema = z.union([z.number().positive('a percentage must be above 0'), z.string().regex(PERCENT_PATTERN, 'a percentage is written 90% (250% is two and a half cores)')], {
  error: 'a percentage is written 90% (or a number)',
});

export const parsePercent = (value: z.infer<typeof percentSchema>): number => (typeof value === 'number' ? value : Number(value.replace('%', '').trim()));
export const formatPercentText = (percent: number): string => `${percent}%`;
