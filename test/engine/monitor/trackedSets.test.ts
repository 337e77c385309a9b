import { afterEach, describe, expect, it } from 'vitest';
import type { TrackedProcesses } from '../../../electron/engine/monitor/sampler';
import { TrackedSets } from '../../../electron/engine/monitor/trackedSets';
import { killGroups, startGroup } from './processes';

afterEach(async () => {
  await killGroups();
});

/** A cgroup-tracked set whose member list is what `members` holds at each read; counts the reads. */
function membersSet(members: { pids: number[] }): TrackedProcesses & { reads: number } {
  const set = { kind: 'members' as const, reads: 0, pids: () => (set.reads++, [...members.pids]) };
  return set;
}

describe('tracked sets: cgroup member lists', () => {
  it('are read again only once a pid was handed out, or every few ticks, and what escaped the group is sampled each time', () => {
    // Two real processes in groups of their own: the second stands for one that left the job's group.
    const root = startGroup('sleep', ['300']).pid;
    const escaped = startGroup('sleep', ['300']).pid;
    const members = { pids: [root] };
    const set = membersSet(members);
    let lastPid = 5000;
    const sets = new TrackedSets({ lastPid: () => lastPid, rereadEvery: 4 });
    const tracked = new Map([['job', set]]);
    const roots = new Map([['job', root]]);
    const tick = () => sets.beforeScan(tracked, roots, undefined);

    // The first read, and the tick after it (a fork under way at the first may not have joined yet).
    expect(tick().pids.get('job')).toEqual([root]);
    expect(tick().pids.get('job')).toEqual([root]);
    expect(set.reads).toBe(2);
    // No pid handed out over a whole tick: no process can have joined, the list read last stands.
    members.pids = [root, escaped];
    expect(tick().pids.get('job')).toEqual([root]);
    expect(set.reads).toBe(2);
    // A fork somewhere on the machine: read again (and at the tick after), and the newcomer outside the group is sampled.
    lastPid++;
    const after = tick();
    expect(set.reads).toBe(3);
    expect(after.pids.get('job')).toEqual([root, escaped]);
    expect(after.extraRoots).toEqual([escaped]);
    tick();
    expect(set.reads).toBe(4);
    // Unchanged since: kept for three more ticks, then read anyway (a process moved in by hand).
    for (let i = 0; i < 3; i++) expect(tick().extraRoots).toEqual([escaped]);
    expect(set.reads).toBe(4);
    tick();
    expect(set.reads).toBe(5);
    sets.reset();
  });

  it('a set seen for the first time is read whatever the last pid says', () => {
    const root = startGroup('sleep', ['300']).pid;
    const sets = new TrackedSets({ lastPid: () => 7000 });
    const first = membersSet({ pids: [root] });
    const second = membersSet({ pids: [root] });
    const roots = new Map([['job', root]]);
    sets.beforeScan(new Map([['job', first]]), roots, undefined);
    // The job's next run: another set under the same job id, never read before.
    expect(sets.beforeScan(new Map([['job', second]]), roots, undefined).pids.get('job')).toEqual([root]);
    expect([first.reads, second.reads]).toEqual([1, 1]);
    sets.reset();
  });
});
