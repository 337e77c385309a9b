import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CronSchedule, type ScheduleTick } from '../../../electron/engine/schedule/cronSchedule';
import { parseSchedule } from '../../../electron/engine/schedule/parseSchedule';
import type { OverlapPolicy } from '../../../electron/engine/schedule/scheduleSpec';
import { waitFor } from '../helpers';

const schedules: CronSchedule[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const schedule of schedules.splice(0)) schedule.dispose();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function everySecond(job: ConstructorParameters<typeof CronSchedule>[1], overlap: OverlapPolicy = 'skip', options?: ConstructorParameters<typeof CronSchedule>[2]): CronSchedule {
  const schedule = new CronSchedule(parseSchedule({ cron: '* * * * * *', overlap }), job, options);
  schedules.push(schedule);
  schedule.start();
  return schedule;
}

/** A job whose runs are real processes that outlive the one-second interval until the test kills them. */
function sleepingJob(onEnd?: () => void) {
  const runs: { tick: ScheduleTick; child: ChildProcess }[] = [];
  const live = () => runs.filter((run) => run.child.exitCode === null && run.child.signalCode === null);
  let mostAtOnce = 0;
  return {
    runs,
    live,
    mostAtOnce: () => mostAtOnce,
    job: {
      isRunActive: () => live().length > 0,
      startRun: (tick: ScheduleTick) => {
        const child = spawn('sleep', ['600'], { stdio: 'ignore' });
        children.push(child);
        child.once('exit', () => onEnd?.());
        runs.push({ tick, child });
        mostAtOnce = Math.max(mostAtOnce, live().length);
      },
    },
  };
}

describe('CronSchedule (real ticks, no fake clock)', () => {
  it('a schedule every second really fires, twice, on whole seconds', async () => {
    const ticks: ScheduleTick[] = [];
    everySecond({ isRunActive: () => false, startRun: (tick) => ticks.push(tick) });
    await waitFor(() => ticks.length >= 2, () => `two ticks (have ${ticks.length})`);
    const [first, second] = ticks;
    expect(first!.scheduledAt % 1000).toBe(0);
    expect(second!.scheduledAt - first!.scheduledAt).toBeGreaterThanOrEqual(1000);
    expect((second!.scheduledAt - first!.scheduledAt) % 1000).toBe(0);
    for (const tick of ticks) {
      expect(tick.startedAt).toBeGreaterThanOrEqual(tick.scheduledAt);
      expect(tick.fromQueue).toBe(false);
    }
  });

  it('overlap skip: ticks while the run is still active are skipped and recorded; the next tick after it ends starts', async () => {
    const job = sleepingJob();
    const schedule = everySecond(job.job, 'skip');
    await waitFor(() => job.runs.length === 1, 'the first run');
    await waitFor(() => schedule.history().filter((r) => r.outcome === 'skipped').length >= 2, 'two skipped ticks');
    expect(job.runs).toHaveLength(1);
    expect(schedule.history().find((r) => r.outcome === 'skipped')).toMatchObject({ reason: 'the previous run is still active (overlap: skip)' });
    job.runs[0]!.child.kill('SIGKILL');
    await waitFor(() => job.runs.length === 2, 'a run on the next tick after the first ended');
    expect(job.mostAtOnce()).toBe(1);
  });

  it('overlap queue: one tick waits (the next is skipped) and starts the moment the run ends', async () => {
    const ended = { tell: () => undefined as void };
    const job = sleepingJob(() => ended.tell());
    const schedule = everySecond(job.job, 'queue');
    ended.tell = () => schedule.runEnded();
    await waitFor(() => job.runs.length === 1, 'the first run');
    await waitFor(() => schedule.history().some((r) => r.outcome === 'queued'), 'a queued tick');
    const queuedAt = schedule.queued!;
    await waitFor(() => schedule.history().some((r) => r.outcome === 'skipped'), 'a tick skipped while one waits');
    expect(schedule.history().find((r) => r.outcome === 'skipped')!.reason).toBe(`the previous run is still active and the tick of ${new Date(queuedAt).toISOString()} already waits (overlap: queue holds one)`);
    expect(job.runs).toHaveLength(1);
    job.runs[0]!.child.kill('SIGKILL');
    await waitFor(() => job.runs.length === 2, 'the queued run');
    expect(job.runs[1]!.tick).toMatchObject({ scheduledAt: queuedAt, fromQueue: true });
    expect(job.runs[1]!.tick.startedAt).toBeGreaterThan(queuedAt);
    expect(schedule.history().find((r) => r.outcome === 'started-from-queue')).toMatchObject({ scheduledAt: queuedAt, reason: 'the previous run ended (overlap: queue)' });
    expect(schedule.queued).toBeUndefined();
    expect(job.mostAtOnce()).toBe(1);
  });

  it('overlap allow: a tick starts a run beside the one still active', async () => {
    const job = sleepingJob();
    const schedule = everySecond(job.job, 'allow');
    await waitFor(() => job.live().length >= 2, 'two runs alive at once');
    expect(schedule.history().filter((r) => r.outcome === 'started').at(-1)!.reason).toBe('on schedule, beside the run still active (overlap: allow)');
    expect(schedule.history().some((r) => r.outcome === 'skipped' || r.outcome === 'queued')).toBe(false);
  });

  it('a start that throws is reported and the schedule goes on', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    everySecond(
      {
        isRunActive: () => false,
        startRun: () => {
          calls += 1;
          throw new Error('spawn failed');
        },
      },
      'skip',
      { onError: (error) => errors.push(error) },
    );
    await waitFor(() => calls >= 2, 'two attempted starts');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect((errors[0] as Error).message).toBe('spawn failed');
  });

  it('dispose stops the ticks: a disposed schedule stays silent while a live one ticks twice', async () => {
    let disposedTicks = 0;
    const disposed = everySecond({ isRunActive: () => false, startRun: () => (disposedTicks += 1) });
    disposed.dispose();
    const live: ScheduleTick[] = [];
    everySecond({ isRunActive: () => false, startRun: (tick) => live.push(tick) });
    await waitFor(() => live.length >= 2, 'two ticks of the live schedule');
    expect(disposedTicks).toBe(0);
    expect(disposed.history()).toEqual([]);
  });

  it('shows the next run times', () => {
    const schedule = new CronSchedule(parseSchedule({ cron: '0 3 * * *', timezone: 'UTC' }), { isRunActive: () => false, startRun: () => undefined });
    expect(schedule.nextRuns(2, new Date('2025-01-01T12:00:00Z')).map((d) => d.toISOString())).toEqual(['2025-01-02T03:00:00.000Z', '2025-01-03T03:00:00.000Z']);
  });
});
