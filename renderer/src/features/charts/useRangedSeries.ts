import { useEffect, useMemo, useState } from 'react';
import type { HistoryRange } from '../../../../shared/monitoring';
import { call } from '../../api/procdeck';
import { compactSeries, type SeriesPoint } from '../../lib/downsample';
import { useChartRangeStore } from '../../stores/chartRangeStore';
import { useJobsStore } from '../../stores/jobsStore';
import { MAX_SERIES_POINTS } from '../../stores/samplesStore';

export const RANGE_MS: Record<Exclude<HistoryRange, 'run'>, number> = {
  '1m': 60_000,
  '15m': 15 * 60_000,
  '1h': 3_600_000,
};

const NO_POINTS: readonly SeriesPoint[] = [];

interface Loaded {
  key: string;
  points: SeriesPoint[];
}

/**
 * A job's chart series for a time range: the range's history from the host (monitor.history,
 * downsampled there), continued by the live points the samples store appends every tick.
 * `runKey` changes with each run, so a restart starts the chart afresh.
 */
export function useRangedSeries(jobId: string | null, runKey: string, range: HistoryRange, live: readonly SeriesPoint[]): readonly SeriesPoint[] {
  const key = `${jobId ?? ''}|${runKey}|${range}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    if (jobId === null || runKey === '') return;
    let current = true;
    void call('monitor.history', { subjectId: jobId, range, maxPoints: MAX_SERIES_POINTS }).then((result) => {
      if (!current || !result.ok) return;
      setLoaded({ key, points: result.value.points.map(({ at, cpu, rss }) => ({ at, cpu, rss })) });
    });
    return () => {
      current = false;
    };
  }, [jobId, runKey, range, key]);

  return useMemo(() => {
    if (jobId === null) return NO_POINTS;
    const base = loaded?.key === key ? loaded.points : [];
    const lastLoaded = base.length > 0 ? base[base.length - 1]!.at : -Infinity;
    let points = base.length === 0 ? live.slice() : base.concat(live.filter((point) => point.at > lastLoaded));
    if (range !== 'run' && points.length > 0) {
      const cutoff = points[points.length - 1]!.at - RANGE_MS[range];
      points = points.filter((point) => point.at >= cutoff);
    }
    return compactSeries(points, MAX_SERIES_POINTS);
  }, [jobId, loaded, key, live, range]);
}

/** The selected job's chart series in the range picked in ChartRangeBar. */
export function useJobChartSeries(jobId: string | null, live: readonly SeriesPoint[]): readonly SeriesPoint[] {
  const runKey = useJobsStore((state) => (jobId === null ? '' : (state.jobs[jobId]?.runId ?? '')));
  const range = useChartRangeStore((state) => state.range);
  return useRangedSeries(jobId, runKey, range, live);
}
