// The pool's two kinds of slot: a run on this machine takes one of the global pool and one of
// its group; a run on a backend with its own queue (a cluster) takes only its group's, until
// its slot is released (the run ended). The real-cluster side is slurmGroupLimit.test.ts.
import { describe, expect, it } from 'vitest';
import { Pool } from '../../../electron/engine/scheduler/pool';

const cluster = { takesPoolSlot: false };
const ids = (slots: { jobId: string }[]) => slots.map((s) => s.jobId);
const waits = (pool: Pool) => Object.fromEntries(pool.takeWaitChanges());

describe('pool slots of cluster runs', () => {
  it('a full global pool holds back local jobs only: a cluster job queued behind one in the same group starts', () => {
    const pool = new Pool(1);
    pool.enqueue('local-1', 'g', 0);
    pool.enqueue('local-2', 'g', 0);
    pool.enqueue('slurm-1', 'g', 0, cluster);
    expect(ids(pool.takeStartable())).toEqual(['local-1', 'slurm-1']);
    expect(pool.runningCount).toBe(1);
    expect(waits(pool)).toEqual({ 'local-2': { kind: 'pool', running: 1, limit: 1 } });
    expect(pool.groupInfo()).toEqual([{ name: 'g', paused: false, running: 2, queued: 1 }]);
  });

  it("a group's limit counts its cluster runs until each is released, and tells the held ones why", () => {
    const pool = new Pool(64);
    pool.setGroupLimit('build', 2);
    for (const id of ['a', 'b', 'c', 'd']) pool.enqueue(id, 'build', 0, cluster);
    const [a, b] = pool.takeStartable();
    expect(ids([a!, b!])).toEqual(['a', 'b']);
    expect(pool.takeStartable()).toEqual([]);
    const group = { kind: 'group', group: 'build', running: 2, limit: 2 };
    expect(waits(pool)).toEqual({ c: group, d: group });
    expect(pool.runningCount).toBe(0);
    a!.release();
    a!.release();
    expect(ids(pool.takeStartable())).toEqual(['c']);
    // Refilled in the same pump: the waiting one's reason did not move, nothing to tell.
    expect(waits(pool)).toEqual({});
    b!.release();
    expect(ids(pool.takeStartable())).toEqual(['d']);
    expect(pool.groupInfo()).toEqual([{ name: 'build', limit: 2, paused: false, running: 2, queued: 0 }]);
  });

  it('local and cluster jobs of one group share its limit, higher priority first whichever the kind', () => {
    const pool = new Pool(64);
    pool.setGroupLimit('mixed', 2);
    pool.enqueue('local-low', 'mixed', 0);
    pool.enqueue('slurm-high', 'mixed', 5, cluster);
    pool.enqueue('local-high', 'mixed', 5);
    pool.enqueue('slurm-low', 'mixed', 0, cluster);
    expect(ids(pool.takeStartable())).toEqual(['slurm-high', 'local-high']);
    expect(waits(pool)).toEqual({
      'local-low': { kind: 'group', group: 'mixed', running: 2, limit: 2 },
      'slurm-low': { kind: 'group', group: 'mixed', running: 2, limit: 2 },
    });
  });

  it('a run found again at open occupies its group whatever the limit, and what is queued after it waits', () => {
    const pool = new Pool(64);
    pool.setGroupLimit('build', 1);
    const adopted = [pool.occupy('x', 'build', false), pool.occupy('y', 'build', false)];
    pool.enqueue('z', 'build', 0, cluster);
    expect(pool.takeStartable()).toEqual([]);
    expect(waits(pool)).toEqual({ z: { kind: 'group', group: 'build', running: 2, limit: 1 } });
    adopted[0]!.release();
    expect(pool.takeStartable()).toEqual([]);
    adopted[1]!.release();
    expect(ids(pool.takeStartable())).toEqual(['z']);
    expect(pool.runningCount).toBe(0);
  });
});
