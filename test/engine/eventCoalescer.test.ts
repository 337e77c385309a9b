import { afterEach, describe, expect, it } from 'vitest';
import { EventCoalescer, MAX_SNAPSHOTS_PER_TICK } from '../../electron/engine/eventCoalescer';
import { jobSpecSchema } from '../../shared/jobSpec';
import type { JobSnapshot } from '../../shared/jobSnapshot';

const spec = jobSpecSchema.parse({ command: { kind: 'shell', script: 'true' } });
const snapshot = (id: string): JobSnapshot => ({ id, name: id, spec, state: 'queued', runCount: 0, queuedAt: 0, outputBytes: 0, stdinOpen: false, restarts: { automatic: 0, manual: 0 } });

const coalescers: EventCoalescer[] = [];
afterEach(() => coalescers.splice(0).forEach((b) => b.dispose()));

function coalescer() {
  const b = new EventCoalescer(
    { snapshot, drainLogs: () => [], batch: () => undefined, groups: () => [], queueOrder: () => [] },
    // Never fires by itself in these tests: each tick is a flush(false) call.
    1 << 30,
  );
  coalescers.push(b);
  const events: JobSnapshot[][] = [];
  b.emitter.on('jobs.changed', ({ jobs }) => events.push(jobs));
  return { b, events };
}

describe('the event coalescer', () => {
  it('sends at most MAX_SNAPSHOTS_PER_TICK snapshots per tick, the rest at the next ones, each job once', () => {
    const { b, events } = coalescer();
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
    const { b, events } = coalescer();
    for (let i = 0; i < MAX_SNAPSHOTS_PER_TICK + 1; i++) b.jobChanged(`j${i}`);
    b.flush();
    expect(events.map((e) => e.length)).toEqual([MAX_SNAPSHOTS_PER_TICK + 1]);
  });
});
