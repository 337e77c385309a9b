// The sampling loop pauses while there is nothing to sample (no timer fires on an idle
// server: see SamplingLoop), and whatever can give it something to do wakes it.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import { Monitor } from '../../../electron/engine/monitor/monitor';
import { SamplingLoop } from '../../../electron/engine/monitor/samplingLoop';
import { SamplingPipeline } from '../../../electron/engine/monitor/samplingPipeline';
import { closeEngines, openEngine, waitFor } from '../helpers';

afterEach(closeEngines);

describe('SamplingLoop', () => {
  it('stops scheduling after a tick with nothing to do, and ticks again once woken, also when woken during a tick', async () => {
    const ticks: number[] = [];
    let more = true;
    let release: (() => void) | undefined;
    const loop = new SamplingLoop(5, async (at) => {
      ticks.push(at);
      if (ticks.length === 3) await new Promise<void>((resolve) => (release = resolve));
      return more;
    });
    loop.start();
    await waitFor(() => ticks.length >= 2, 'two ticks');
    more = false;
    // The third tick is held open; a wake while it runs schedules one more after it.
    await waitFor(() => release, 'the third tick to be under way');
    loop.wake();
    release!();
    await waitFor(() => ticks.length >= 4, 'the tick after the wake');
    await waitFor(() => !loop.active, 'the loop to pause');
    const paused = ticks.length;
    expect(loop.active).toBe(false);
    loop.wake();
    expect(loop.active).toBe(true);
    await waitFor(() => ticks.length > paused, 'a tick once woken');
    await waitFor(() => !loop.active, 'the loop to pause again');
    loop.stop();
    loop.wake();
    expect(loop.active).toBe(false);
  });
});

describe('SamplingPipeline', () => {
  it('keeps ticking while a backend has a live run it has no figures of yet (a cluster answers between ticks)', async () => {
    let live = true;
    const backend = { hasLiveRuns: () => live, sampleUsage: async () => new Map() };
    const pipeline = new SamplingPipeline({ backends: [backend], monitor: new Monitor(undefined), act: () => undefined, events: { emit: () => undefined }, isClosed: () => false });
    expect(await pipeline.tick(Date.now())).toBe(true);
    live = false;
    expect(await pipeline.tick(Date.now())).toBe(false);
  });
});

describe('an idle engine', () => {
  it('pauses its sampling, and samples a job that starts, then pauses again once it is over', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    await waitFor(() => !engine.samplingActive, 'the idle loop to pause');
    const ticks: EventPayload<'samples.tick'>[] = [];
    engine.events.on('samples.tick', (tick) => ticks.push(tick));
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['30'] } });
    await waitFor(() => ticks.some((tick) => tick.samples.some((s) => s.jobId === job.id)), 'a sample of the job');
    engine.jobs.kill(job.id);
    await waitFor(() => ticks.some((tick) => tick.gone?.includes(job.id)), 'the job gone from the samples');
    await waitFor(() => !engine.samplingActive, 'the loop to pause once nothing runs');
  });

  it('wakes for a system view and for a watched process', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    await waitFor(() => !engine.samplingActive, 'the idle loop to pause');
    const system: EventPayload<'system.tick'>[] = [];
    engine.events.on('system.tick', (tick) => system.push(tick));
    engine.monitor.viewSystem('tab', true);
    await waitFor(() => system.length > 0, 'system figures for the open view');
    engine.monitor.viewSystem('tab', false);
    await waitFor(() => !engine.samplingActive, 'the loop to pause once the view is closed');

    const outsider = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      const watched: EventPayload<'monitor.tick'>[] = [];
      engine.events.on('monitor.tick', (tick) => watched.push(tick));
      const row = await waitFor(() => engine.monitor.systemProcesses({ filter: 'sleep 300' }).processes.find((p) => p.pid === outsider.pid), 'the outside process listed');
      const { id } = engine.monitor.watch({ pid: outsider.pid!, startTime: row.startTime });
      await waitFor(() => watched.some((tick) => tick.watched.some((w) => w.id === id)), 'a sample of the watched process');
      expect(engine.samplingActive).toBe(true);
    } finally {
      outsider.kill();
    }
  });
});
