import { afterAll, describe, expect, it } from 'vitest';
import type { EngineSampleTick } from '../../../electron/engine/eventCoalescer';
import type { JobSample, SampleTick } from '../../../shared/jobSnapshot';
import { closeEngines, openEngine, waitFor, waitForState } from '../helpers';

afterAll(closeEngines);

interface Heard {
  change: SampleTick;
  /** The whole tick as the engine answered it then (what a client that missed a change is sent). */
  whole: SampleTick;
}

const byJob = (samples: readonly JobSample[]) => Object.fromEntries(samples.map((s) => [s.jobId, s]));

describe('samples.tick is a change against the tick before', () => {
  it('sends a settled job only when its figures move, keeps it in the whole tick, and names a job that ended as gone', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const heard: Heard[] = [];
    engine.events.on('samples.tick', ({ whole, ...change }: EngineSampleTick) => heard.push({ change, whole: whole() }));
    const sleeper = () => engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] } }).id;
    const [a, b] = [sleeper(), sleeper()];
    await waitForState(engine, a, 'running');
    await waitForState(engine, b, 'running');

    // A sleeping job's figures settle: a tick samples both and sends neither.
    const settled = await waitFor(
      () => heard.find(({ change, whole }) => whole.samples.length === 2 && change.samples.length === 0 && change.gone === undefined),
      'a tick that sampled both sleepers and had no change to send',
    );
    expect(settled.whole.full).toBe(true);
    expect(settled.whole.at).toBe(settled.change.at);

    engine.jobs.stop(b);
    await waitForState(engine, b, 'killed');
    const ended = await waitFor(() => heard.find(({ change }) => change.gone?.includes(b)), `a tick naming ${b} gone`);
    expect(byJob(ended.whole.samples)[a]).toBeDefined();
    expect(byJob(ended.whole.samples)[b]).toBeUndefined();

    // Every change merged into the ones before (heard from the engine's first tick) is the whole tick, at every tick.
    const merged = new Map<string, JobSample>();
    for (const { change, whole } of heard) {
      for (const jobId of change.gone ?? []) merged.delete(jobId);
      for (const sample of change.samples) merged.set(sample.jobId, sample);
      expect(byJob([...merged.values()])).toEqual(byJob(whole.samples));
    }
    expect([...merged.keys()]).toEqual([a]);
  });
});
