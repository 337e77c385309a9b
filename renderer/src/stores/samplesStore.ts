import { create } from 'zustand';
import type { JobSample, SampleTick } from '../../../shared/jobSnapshot';
import { compactSeries, type SeriesPoint } from '../lib/downsample';

export const MAX_SERIES_POINTS = 300;
export const TREND_POINTS = 30;

interface SamplesState {
  /** Each live job's latest sample (merged from the ticks' changes); a job missing here has no live figures. */
  current: Record<string, JobSample>;
  /** Recent CPU % per job, for the row sparklines. */
  trend: Record<string, number[]>;
  /** Chart series of watched jobs (the selected one), filled from the monitor's history (monitor.history). */
  series: Record<string, SeriesPoint[] | 'loading'>;
  /** Host clock of the last tick: durations of running jobs are measured against it. */
  lastTickAt: number;
  applyTick(tick: SampleTick): void;
  beginWatch(jobId: string): void;
  loadedHistory(jobId: string, points: readonly SeriesPoint[]): void;
  unwatch(jobIds: readonly string[]): void;
  /** Drops everything about removed jobs. */
  forget(jobIds: readonly string[]): void;
}

export const useSamplesStore = create<SamplesState>()((set) => ({
  current: {},
  trend: {},
  series: {},
  lastTickAt: 0,

  applyTick: (tick) =>
    set((state) => {
      // A change against the tick before (whole when `full`): a job not in it was sampled again with the same figures.
      const current: Record<string, JobSample> = tick.full ? {} : { ...state.current };
      for (const jobId of tick.gone ?? []) delete current[jobId];
      for (const sample of tick.samples) current[sample.jobId] = sample;
      const trend = { ...state.trend };
      let series = state.series;
      // Every live job advances one point per tick, changed or not, so the charts read as before.
      for (const sample of Object.values(current)) {
        const previous = trend[sample.jobId] ?? [];
        const next = previous.length >= TREND_POINTS ? previous.slice(1 - TREND_POINTS) : previous.slice();
        next.push(sample.cpu);
        trend[sample.jobId] = next;
        const points = series[sample.jobId];
        if (Array.isArray(points) && (points.length === 0 || points[points.length - 1]!.at < tick.at)) {
          if (series === state.series) series = { ...state.series };
          series[sample.jobId] = compactSeries(
            points.concat({ at: tick.at, cpu: sample.cpu, rss: sample.rss }),
            MAX_SERIES_POINTS,
          );
        }
      }
      return { current, trend, series, lastTickAt: tick.at };
    }),

  beginWatch: (jobId) => set((state) => ({ series: { ...state.series, [jobId]: 'loading' } })),

  loadedHistory: (jobId, points) =>
    set((state) => {
      if (!(jobId in state.series)) return state;
      const sorted = points.map(({ at, cpu, rss }) => ({ at, cpu, rss })).sort((a, b) => a.at - b.at);
      return { series: { ...state.series, [jobId]: compactSeries(sorted, MAX_SERIES_POINTS) } };
    }),

  unwatch: (jobIds) =>
    set((state) => {
      if (!jobIds.some((id) => id in state.series)) return state;
      const series = { ...state.series };
      for (const id of jobIds) delete series[id];
      return { series };
    }),

  forget: (jobIds) =>
    set((state) => {
      const series = { ...state.series };
      const trend = { ...state.trend };
      for (const id of jobIds) {
        delete series[id];
        delete trend[id];
      }
      return { series, trend };
    }),
}));
