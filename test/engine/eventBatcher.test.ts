import { afterEach, describe, expect, it } from 'vitest';
import { EventBatcher, MAX_SNAPSHOTS_PER_TICK } from '../../electron/engine/eventBatcher';
import { jobSpecSchema } from '../../shared/jobSpec';
import type { JobSnapshot } from '../../shared/jobSnapshot';

const spec = jobSpecSchema.parse({ command: { kind: 'shell', script: 'true' } });
const snapshot = (id: string): JobSnapshot => ({ id, name: id, spec, state: 'queued', runCount: 0, queuedAt: 0, outputBytes: 0, stdinOpen: false, restarts: { automatic: 0, manual: 0 } });

const batchers: EventBatcher[] = [];
afterEach(() => batchers.splice(0).forEach((b) => b.dispose()));

function batcher() {
  const b = new EventBatcher(
    { snapshot, drainLogs: () => [], batch: () => undefined, groups: () => [], queueOrder: () => [] },
    // Never fires by itself in these tests: each tick is a flush(false) call.
    1 << 30,
  );
  batchers.push(b);
  const events: JobSnapshot[][] = [];
  b.emitter.on('jobs.changed', ({ jobs }) => events.push(jobs));
  return { b, events };
}

describe('the event batcher', () => {
  it('sends at most MAX_SNAPSHOTS_PER_TICK snapshots per tick, the rest at the next ones, each job once', () => {
    const { b, events } = batcher();
    const total = MAX_SNAPSHOTS_PER_TICK * 2 + 500;
    for (let i = 0; i < total; i++) b.jobChanged(`j${i}`);
    b.jobChanged('j0'); // changed again before it went out: still once
    b.flush(false);
    b.flush(false);
    b.flush(false);
    b.flush(false);
    expect(events.map((e) => e.length)).toEqual([MAX_SNAPSHOTS_PER_TICK, MAX_SNAPSHOTS_PER_TICK, 500]);
    expect(new Set(events.flat().map((j) => j.id)).size).toBe(total);
  });

  it('a forced flush (shutdown, a tail request) sends everything at once', () => {
    const { b, events } = batcher();
    for (let i = 0; i < MAX_SNAPSHOTS_PER_TICK + 1; i++) b.jobChanged(`j${i}`);
    b.flush();
    expect(events.map((e) => e.length)).toEqual([MAX_SNAPSHOTS_PER_TICK + 1]);
  });
});
