import { afterEach, describe, expect, it } from 'vitest';
import { closeEngines, openEngine, waitFor } from '../helpers';

afterEach(closeEngines);

/**
 * Calls `then` in the first check phase (setImmediate) in which `ready` holds. The probe
 * re-arms itself with setImmediate, so it runs before any immediate queued later, such as a
 * pump the engine defers from an exit handler: that is the case of a client's burst of stops
 * read in the same event-loop turn as the exits of the runs it stops.
 */
function assoonAs(ready: () => boolean, then: () => void): void {
  setImmediate(function probe() {
    if (ready()) then();
    else setImmediate(probe);
  });
}

describe('a burst of stops on a full pool', () => {
  it('cancels the queued jobs before a slot freed by an ended run is handed out: no queued job is ever spawned', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 2 } });
    const everSpawned = new Set<string>();
    engine.events.on('jobs.changed', ({ jobs }) => {
      for (const job of jobs) if (job.pid !== undefined) everSpawned.add(job.id);
    });
    const ids = Array.from({ length: 6 }, () => engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' }, graceMs: 100 }).id);
    const running = await waitFor(() => {
      const now = ids.filter((id) => engine.jobs.get(id).state === 'running');
      return now.length === 2 ? now : undefined;
    }, 'two jobs running');
    const queued = ids.filter((id) => engine.jobs.get(id).state === 'queued');
    expect(queued).toHaveLength(4);

    // The running pair is killed; the moment the engine has handled the first end (a slot is
    // free), the stop of every job arrives, in one synchronous loop (as a stop-all burst is).
    for (const id of running) engine.jobs.kill(id);
    const spawnedBeforeBurst: string[] = [];
    assoonAs(
      () => running.some((id) => engine.jobs.get(id).state === 'killed'),
      () => {
        spawnedBeforeBurst.push(...queued.filter((id) => engine.jobs.get(id).pid !== undefined));
        for (const id of ids) {
          if (engine.jobs.get(id).state === 'killed') continue; // already ended
          engine.jobs.stop(id);
        }
      },
    );
    await waitFor(() => ids.every((id) => ['killed', 'skipped'].includes(engine.jobs.get(id).state)), 'every job to end');
    expect(spawnedBeforeBurst).toEqual([]);
    for (const id of queued) {
      expect(engine.jobs.get(id)).toMatchObject({ state: 'skipped', runCount: 0 });
      expect(engine.jobs.get(id).pid).toBeUndefined();
    }
    await waitFor(() => engine.scheduler.queueOrder().length === 0, 'the queue to be empty');
    expect([...everSpawned].filter((id) => queued.includes(id))).toEqual([]);
  });
});
