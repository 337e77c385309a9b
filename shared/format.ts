/**
 * How Procdeck writes amounts, wherever one is shown (the UI, the hosts' messages, and the
 * engine's). Plain functions, no Node or DOM: the renderer and Node share this file. No locale
 * either: the decimal point is always '.', so a value reads the same in every window and log.
 */

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const GIB_UNIT = BYTE_UNITS.indexOf('GiB');

/** `value` with three significant digits (never fewer than its whole part has), trailing zeros dropped. */
function threeDigits(value: number): string {
  const wholeDigits = value < 1 ? 1 : Math.floor(Math.log10(value)) + 1;
  return dropTrailingZeros(value.toFixed(Math.max(0, 3 - wholeDigits)));
}

const dropTrailingZeros = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

/**
 * Bytes, by one rule everywhere (binary units, so a limit of 1 GiB is 1024 MiB as the kernel
 * counts it):
 * - the unit is the largest in which the amount is at least 1 (1023 KiB, then 1 MiB);
 * - the number has three significant digits, trailing zeros dropped: 117 MiB, 12.3 MiB, 1.5 GiB,
 *   16 MiB (never "16.0 MiB"), so an exact amount reads exactly;
 * - except that a whole number of MiB below 10,000 MiB that three digits of GiB would round
 *   is written in MiB: "1500 MiB", not "1.46 GiB". MiB is the unit operators type memory
 *   thresholds and limits in, and what they typed must read back as typed, in the rule they
 *   added, in the alert that fired and in the limit in force alike.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) {
    // Whole bytes; 1023.6 rounds up into the next unit like any other carry.
    if (Math.round(value) < 1024) return `${Math.round(value)} B`;
    value /= 1024;
    unit = 1;
  }
  let number = threeDigits(value);
  if (Number(number) >= 1024 && unit < BYTE_UNITS.length - 1) {
    // Rounding carried it over (1023.9 KiB): say 1 MiB, not 1024 KiB.
    value /= 1024;
    unit++;
    number = threeDigits(value);
  }
  if (unit === GIB_UNIT && bytes % MIB === 0 && bytes < 10_000 * MIB && Number(number) * GIB !== bytes) return `${bytes / MIB} MiB`;
  return `${number} ${BYTE_UNITS[unit]}`;
}

/** A byte amount per unit of time: "12.3 MiB/min", with formatBytes's rule. */
export const formatByteRate = (bytes: number, per: 's' | 'min' | 'h'): string => `${formatBytes(bytes)}/${per}`;

/**
 * A percentage without its sign (a grid column headed "CPU %"): one decimal below 100, whole
 * from 100 on (a job's CPU is a percentage of one core, so 250 means two and a half cores),
 * trailing zero dropped like every amount here: 0, 3.2, 50, 250.
 */
export function formatPercentNumber(percent: number): string {
  if (Number.isNaN(percent)) return '?';
  return Math.abs(percent) >= 100 ? percent.toFixed(0) : dropTrailingZeros(percent.toFixed(1));
}

/** A percentage with its sign: "3.2 %", "250 %". */
export const formatPercent = (percent: number): string => `${formatPercentNumber(percent)} %`;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 min 5 s", or "10 min" when the smaller part is zero. */
function twoUnits(ms: number, big: number, bigName: string, small: number, smallName: string): string {
  const bigCount = Math.floor(ms / big);
  const smallCount = Math.floor((ms - bigCount * big) / small);
  return smallCount === 0 ? `${bigCount} ${bigName}` : `${bigCount} ${bigName} ${smallCount} ${smallName}`;
}

/**
 * A duration (an elapsed time, a timeout, a limit), by one rule everywhere:
 * under 1 s in whole ms ("300 ms"); under 10 s in tenths ("1.5 s", "2 s"); under 2 min in
 * whole seconds ("90 s"); under 2 h in minutes and seconds ("12 min 5 s", "60 min"); under
 * 2 days in hours and minutes ("3 h 20 min"); beyond, in days and hours ("3 d 4 h").
 * Each unit takes over at two of it, so the round amounts operators type (90 s, 60 min, 36 h)
 * read back as typed. Truncated, never rounded up: an elapsed time never reads longer than it is.
 */
export function formatDuration(ms: number): string {
  if (!(ms > 0)) return '0 ms';
  if (ms === Infinity) return 'forever';
  if (ms < SECOND) return `${Math.floor(ms)} ms`;
  if (ms < 10 * SECOND) return `${dropTrailingZeros((Math.floor(ms / 100) / 10).toFixed(1))} s`;
  if (ms < 2 * MINUTE) return `${Math.floor(ms / SECOND)} s`;
  if (ms < 2 * HOUR) return twoUnits(ms, MINUTE, 'min', SECOND, 's');
  if (ms < 2 * DAY) return twoUnits(ms, HOUR, 'h', MINUTE, 'min');
  return twoUnits(ms, DAY, 'd', HOUR, 'h');
}

/** "0-3,6": the kernel's list syntax (as /proc/PID/status shows Cpus_allowed_list, and taskset -c reads). */
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
