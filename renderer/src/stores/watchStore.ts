import { create } from 'zustand';
import type { MonitorTick, WatchedProcess } from '../../../shared/monitoring';
import { compactSeries, type SeriesPoint } from '../lib/downsample';

export const MAX_WATCH_POINTS = 300;

interface WatchState {
  /** Watched processes by subject id, in the order they were watched. */
  watched: Record<string, WatchedProcess>;
  series: Record<string, SeriesPoint[]>;
  replaceAll(watched: readonly WatchedProcess[]): void;
  add(watched: WatchedProcess): void;
  remove(id: string): void;
  loadedHistory(id: string, points: readonly SeriesPoint[]): void;
  applyTick(tick: Pick<MonitorTick, 'at' | 'watched' | 'watchEnded'>): void;
}

export const useWatchStore = create<WatchState>()((set) => ({
  watched: {},
  series: {},

  replaceAll: (list) =>
    set((state) => {
      const series: Record<string, SeriesPoint[]> = {};
      for (const watched of list) series[watched.id] = state.series[watched.id] ?? [];
      return { watched: Object.fromEntries(list.map((watched) => [watched.id, watched])), series };
    }),

  add: (watched) =>
    set((state) => ({
      watched: { ...state.watched, [watched.id]: watched },
      series: { ...state.series, [watched.id]: state.series[watched.id] ?? [] },
    })),

  remove: (id) =>
    set((state) => {
      if (!(id in state.watched)) return state;
      const watched = { ...state.watched };
      const series = { ...state.series };
      delete watched[id];
      delete series[id];
      return { watched, series };
    }),

  /** History loaded after a (re)connection: live points newer than it are kept. */
  loadedHistory: (id, points) =>
    set((state) => {
      if (!(id in state.watched)) return state;
      const sorted = points.map(({ at, cpu, rss }) => ({ at, cpu, rss })).sort((a, b) => a.at - b.at);
      const lastLoaded = sorted.length > 0 ? sorted[sorted.length - 1]!.at : -Infinity;
      const live = (state.series[id] ?? []).filter((point) => point.at > lastLoaded);
      return { series: { ...state.series, [id]: compactSeries(sorted.concat(live), MAX_WATCH_POINTS) } };
    }),

  applyTick: (tick) =>
    set((state) => {
      if (tick.watched.length === 0 && tick.watchEnded.length === 0) return state;
      let watched = state.watched;
      for (const ended of tick.watchEnded) {
        if (!(ended.id in watched)) continue;
        if (watched === state.watched) watched = { ...state.watched };
        watched[ended.id] = ended;
      }
      const series = { ...state.series };
      for (const sample of tick.watched) {
        const points = series[sample.id];
        if (!points || !(sample.id in watched)) continue;
        if (points.length > 0 && points[points.length - 1]!.at >= tick.at) continue;
        series[sample.id] = compactSeries(points.concat({ at: tick.at, cpu: sample.cpu, rss: sample.rss }), MAX_WATCH_POINTS);
      }
      return { watched, series };
    }),
}));
