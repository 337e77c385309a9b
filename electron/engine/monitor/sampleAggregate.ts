import type { HistoryPoint } from '../../../shared/monitoring';

export interface RunSample {
  at: number;
  cpu: number;
  rss: number;
  processes: number;
}

/** Samples folded together. Sums, not averages, so folding aggregates again stays exact. */
export interface SampleAggregate {
  count: number;
  atSum: number;
  cpuSum: number;
  cpuMin: number;
  cpuMax: number;
  rssSum: number;
  rssMin: number;
  rssMax: number;
  processesSum: number;
}

export function aggregateOf(sample: RunSample): SampleAggregate {
  return {
    count: 1,
    atSum: sample.at,
    cpuSum: sample.cpu,
    cpuMin: sample.cpu,
    cpuMax: sample.cpu,
    rssSum: sample.rss,
    rssMin: sample.rss,
    rssMax: sample.rss,
    processesSum: sample.processes,
  };
}

export function foldInto(into: SampleAggregate, from: SampleAggregate): void {
  into.count += from.count;
  into.atSum += from.atSum;
  into.cpuSum += from.cpuSum;
  into.cpuMin = Math.min(into.cpuMin, from.cpuMin);
  into.cpuMax = Math.max(into.cpuMax, from.cpuMax);
  into.rssSum += from.rssSum;
  into.rssMin = Math.min(into.rssMin, from.rssMin);
  into.rssMax = Math.max(into.rssMax, from.rssMax);
  into.processesSum += from.processesSum;
}

export const meanAt = (aggregate: SampleAggregate): number => aggregate.atSum / aggregate.count;

/** A chart point: the sample itself, or the averages with their extremes. */
export function pointOf(aggregate: SampleAggregate): HistoryPoint {
  const n = aggregate.count;
  const at = Math.round(aggregate.atSum / n);
  if (n === 1) return { at, cpu: aggregate.cpuSum, rss: aggregate.rssSum, processes: aggregate.processesSum };
  return {
    at,
    cpu: aggregate.cpuSum / n,
    rss: aggregate.rssSum / n,
    processes: aggregate.processesSum / n,
    cpuMin: aggregate.cpuMin,
    cpuMax: aggregate.cpuMax,
    rssMin: aggregate.rssMin,
    rssMax: aggregate.rssMax,
  };
}

/**
 * At most `maxPoints` points: the time span is cut into equal slots and each slot's
 * aggregates are folded together (min/max kept, so a short spike still shows). Empty slots
 * are left out, so gaps stay gaps. Input must be in time order.
 */
export function reduceToSlots(aggregates: readonly SampleAggregate[], maxPoints: number): HistoryPoint[] {
  if (aggregates.length <= maxPoints) return aggregates.map(pointOf);
  const from = meanAt(aggregates[0]!);
  const to = meanAt(aggregates[aggregates.length - 1]!);
  const width = (to - from) / maxPoints || 1;
  const slots: SampleAggregate[] = [];
  let slotIndex = -1;
  for (const aggregate of aggregates) {
    const index = Math.min(maxPoints - 1, Math.floor((meanAt(aggregate) - from) / width));
    if (index !== slotIndex) {
      slotIndex = index;
      slots.push({ ...aggregate });
    } else {
      foldInto(slots[slots.length - 1]!, aggregate);
    }
  }
  return slots.map(pointOf);
}
