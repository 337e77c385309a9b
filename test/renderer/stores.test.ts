import { beforeEach, describe, expect, it } from 'vitest';
import type { SystemStats } from '../../shared/monitoring';
import { nextSort } from '../../renderer/src/lib/sorting';
import { MAX_MACHINE_POINTS, useMachineStore } from '../../renderer/src/stores/machineStore';
import { pushNotice, useNoticesStore } from '../../renderer/src/stores/noticesStore';
import { useSamplesStore } from '../../renderer/src/stores/samplesStore';

describe('notices', () => {
  beforeEach(() => useNoticesStore.setState({ notices: [] }));

  it('shows what is pushed, newest last, and keeps only the newest four', () => {
    for (let i = 1; i <= 6; i++) pushNotice('info', `notice ${i}`);
    expect(useNoticesStore.getState().notices.map((notice) => notice.text)).toEqual(['notice 3', 'notice 4', 'notice 5', 'notice 6']);
  });

  it('dismisses one notice by its id', () => {
    pushNotice('error', 'first');
    pushNotice('warning', 'second');
    const [first] = useNoticesStore.getState().notices;
    useNoticesStore.getState().dismissNotice(first!.id);
    expect(useNoticesStore.getState().notices.map((notice) => notice.text)).toEqual(['second']);
  });
});

const tick = (at: number, cores: number[] = [10, 20]): SystemStats => ({
  at,
  cpu: 15,
  cores,
  memory: { total: 8e9, used: 3e9, available: 5e9, swapTotal: 0, swapUsed: 0 },
  load: [0.5, 0.4, 0.3],
});

describe('the machine store', () => {
  beforeEach(() => useMachineStore.setState({ latest: null, history: [] }));

  it('keeps the newest tick and one history point per tick, with cores and memory together', () => {
    useMachineStore.getState().applyTick(tick(1000));
    useMachineStore.getState().applyTick(tick(2000, [30, 40]));
    const { latest, history } = useMachineStore.getState();
    expect(latest?.at).toBe(2000);
    expect(history).toEqual([
      { at: 1000, cores: [10, 20], used: 3e9, available: 5e9, swapUsed: 0, load1: 0.5 },
      { at: 2000, cores: [30, 40], used: 3e9, available: 5e9, swapUsed: 0, load1: 0.5 },
    ]);
  });

  it('takes a repeated or older tick as the latest figures without a second point', () => {
    useMachineStore.getState().applyTick(tick(2000));
    useMachineStore.getState().applyTick(tick(2000, [99, 99]));
    expect(useMachineStore.getState().history).toHaveLength(1);
    expect(useMachineStore.getState().latest?.cores).toEqual([99, 99]);
  });

  it('keeps a bounded history', () => {
    for (let i = 1; i <= MAX_MACHINE_POINTS + 20; i++) useMachineStore.getState().applyTick(tick(i * 1000));
    const { history } = useMachineStore.getState();
    expect(history).toHaveLength(MAX_MACHINE_POINTS);
    expect(history[0]!.at).toBe(21_000);
  });
});

describe('the samples store', () => {
  beforeEach(() => useSamplesStore.setState({ current: {}, trend: {}, series: {}, lastTickAt: 0 }));
  const a = { jobId: 'a', cpu: 10, rss: 100, processes: 1 };
  const b = { jobId: 'b', cpu: 0, rss: 200, processes: 2 };

  it('merges each change into what it holds: a job not in the tick keeps its sample, and its trend and series advance with it', () => {
    const store = useSamplesStore.getState();
    store.beginWatch('b');
    store.loadedHistory('b', []);
    store.applyTick({ at: 1000, samples: [a, b], full: true });
    store.applyTick({ at: 2000, samples: [{ ...a, cpu: 30 }] });
    store.applyTick({ at: 3000, samples: [] });
    const state = useSamplesStore.getState();
    expect(state.current).toEqual({ a: { ...a, cpu: 30 }, b });
    expect(state.trend).toEqual({ a: [10, 30, 30], b: [0, 0, 0] });
    expect(state.series.b).toEqual([1000, 2000, 3000].map((at) => ({ at, cpu: 0, rss: 200 })));
    expect(state.lastTickAt).toBe(3000);
  });

  it('drops the jobs a change names as gone, and holds only what a whole tick has', () => {
    const store = useSamplesStore.getState();
    store.applyTick({ at: 1000, samples: [a, b], full: true });
    store.applyTick({ at: 2000, samples: [], gone: ['a'] });
    expect(Object.keys(useSamplesStore.getState().current)).toEqual(['b']);
    store.applyTick({ at: 3000, samples: [a, b] });
    // A whole tick (a client that missed a change) replaces everything: b is no longer live.
    store.applyTick({ at: 4000, samples: [{ ...a, cpu: 50 }], full: true });
    const state = useSamplesStore.getState();
    expect(state.current).toEqual({ a: { ...a, cpu: 50 } });
    expect(state.trend.a).toEqual([10, 10, 50]);
  });
});

describe('nextSort', () => {
  const descendingFirst = ['cpu'] as const;
  it('flips the direction of the column already sorted', () => {
    expect(nextSort({ column: 'cpu', direction: 'descending' }, 'cpu', descendingFirst)).toEqual({ column: 'cpu', direction: 'ascending' });
  });
  it('starts a new column biggest first only where that is its natural reading', () => {
    expect(nextSort<string>({ column: 'name', direction: 'ascending' }, 'cpu', descendingFirst)).toEqual({ column: 'cpu', direction: 'descending' });
    expect(nextSort<string>({ column: 'cpu', direction: 'descending' }, 'name', descendingFirst)).toEqual({ column: 'name', direction: 'ascending' });
  });
});
