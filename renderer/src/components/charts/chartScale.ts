/** Where a value lands on screen: a linear map from a domain to a pixel range. */
export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = (value: number) => r0 + ((value - d0) / span) * (r1 - r0);
  return Object.assign(scale, { domain });
}

const NICE_FACTORS = [1, 2, 2.5, 5, 10];

/** The smallest step of the form f·unit·10^k (f in 1, 2, 2.5, 5) that covers `span` in at most `count` steps. */
function niceStep(span: number, count: number, unit: number): number {
  const raw = span / unit / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = NICE_FACTORS.find((f) => f * power >= raw) ?? 10;
  return factor * power * unit;
}

/**
 * Ticks from 0 to a top that is at least `max`: round numbers, at most `count` + 1 of them.
 * With `binary`, steps are round in the largest power of 1024 below the top (bytes read as
 * "256 MiB", not "268.4 MB").
 */
export function valueTicks(max: number, count: number, binary = false): number[] {
  if (!(max > 0)) return [0];
  const unit = binary ? 1024 ** Math.max(0, Math.floor(Math.log(max) / Math.log(1024))) : 1;
  const step = niceStep(max, count, unit);
  const ticks: number[] = [];
  for (let i = 0; ticks.length === 0 || ticks[ticks.length - 1]! < max - step * 1e-9; i++) ticks.push(i * step);
  return ticks;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TIME_STEPS = [1, 2, 5, 10, 15, 30].map((s) => s * SECOND)
  .concat([1, 2, 5, 10, 15, 30].map((m) => m * MINUTE))
  .concat([1, 2, 3, 6, 12, 24].map((h) => h * HOUR));

/**
 * Times between `from` and `to` (epoch ms) on round boundaries of the local clock, at most
 * `count` of them: what the time axis labels.
 */
export function timeTicks(from: number, to: number, count: number, timezoneOffsetMs = new Date(from).getTimezoneOffset() * MINUTE): number[] {
  if (!(to > from) || count < 1) return [from];
  const span = to - from;
  const step = TIME_STEPS.find((s) => span / s <= count) ?? Math.ceil(span / count / (24 * HOUR)) * 24 * HOUR;
  // Round on the local clock: an hourly tick should read 14:00 in every time zone, including
  // the ones a half hour off UTC.
  const first = Math.ceil((from - timezoneOffsetMs) / step) * step + timezoneOffsetMs;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** Index of the point whose time is nearest `at`, in points sorted by time (-1 when empty). */
export function nearestIndex(times: readonly number[], at: number): number {
  if (times.length === 0) return -1;
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (times[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return low > 0 && at - times[low - 1]! < times[low]! - at ? low - 1 : low;
}

export type LabelAnchor = 'start' | 'middle' | 'end';

export interface AxisLabel {
  at: number;
  x: number;
  text: string;
  anchor: LabelAnchor;
}

/** Average width of a character of an axis label at 11 px ("09:32:35 PM" is about 69 px). */
const LABEL_CHAR_WIDTH = 6.5;
const LABEL_GAP = 8;
/** A label this close to either end of the axis is anchored inward, so it is not cut off. */
const EDGE = 30;

function anchorAt(x: number, left: number, right: number): LabelAnchor {
  if (x - left < EDGE) return 'start';
  return right - x < EDGE ? 'end' : 'middle';
}

/**
 * The time axis's labels: round times of the local clock (timeTicks), at most `count`, each
 * anchored inward near an edge, and a label dropped when it would overlap the one before it:
 * an edge-anchored label reaches further into the plot than a centred one, so round spacing
 * alone does not keep them apart.
 */
export function timeAxisLabels(x: LinearScale, range: readonly [number, number], count: number, format: (at: number) => string): AxisLabel[] {
  const [left, right] = range;
  const labels: AxisLabel[] = [];
  let previousEnd = -Infinity;
  for (const at of timeTicks(x.domain[0], x.domain[1], count)) {
    const position = x(at);
    const text = format(at);
    const anchor = anchorAt(position, left, right);
    const width = text.length * LABEL_CHAR_WIDTH;
    const start = anchor === 'start' ? position : anchor === 'end' ? position - width : position - width / 2;
    if (start < previousEnd + LABEL_GAP) continue;
    labels.push({ at, x: position, text, anchor });
    previousEnd = start + width;
  }
  return labels;
}
