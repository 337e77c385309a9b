// A run's tracking cgroup read through its kept-open cgroup.procs: the list is the kernel's at
// each read (members that join later and members that leave), and nothing stays open on the
// cgroup once it is removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { probeCapabilities } from '../../../electron/engine/isolation/capabilities';
import { JobCgroup, joinPrefix } from '../../../electron/engine/isolation/jobCgroup';
import { uniqueToken } from '../escapees';
import { waitFor } from './helpers';

const tracking = probeCapabilities().tracking;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A `sleep` that joins the cgroup before exec'ing (the engine's own prefix), in its own session like a job. */
function joined(cgroup: JobCgroup): ChildProcess {
  const [file, ...args] = [...joinPrefix(cgroup.procsFiles, undefined), 'sleep', '30'];
  const child = spawn(file!, args, { detached: true, stdio: 'ignore' });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
/** Descriptors of this process open on a path under dir. */
const openUnder = (dir: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false;
    }
  });

describe.runIf(tracking !== undefined)('a tracking cgroup read through its kept-open list', () => {
  it('lists members that joined after its first read and drops those that left; remove() leaves nothing open', async () => {
    const cgroup = JobCgroup.create(`members-${uniqueToken()}`, undefined, {}, tracking);
    const dir = cgroup.trackingDir!;
    expect(cgroup.members()).toEqual([]);
    expect(openUnder(dir)).toHaveLength(1);

    const first = joined(cgroup);
    await waitFor(() => cgroup.members().includes(first.pid!), 'the first sleep to be listed');
    const second = joined(cgroup);
    await waitFor(() => cgroup.members().length === 2, 'both sleeps to be listed');
    expect(cgroup.members().sort()).toEqual([first.pid!, second.pid!].sort());

    first.kill('SIGKILL');
    await exited(first);
    await waitFor(() => cgroup.members().length === 1, 'the killed sleep to leave the list');
    expect(cgroup.members()).toEqual([second.pid!]);

    second.kill('SIGKILL');
    await exited(second);
    expect(await cgroup.remove(5000)).toBe(true);
    expect(openUnder(dir)).toEqual([]);
    expect(cgroup.members()).toEqual([]);
  });

  it('remove() kills what is still inside at its deadline and removes the cgroup', async () => {
    const cgroup = JobCgroup.create(`members-${uniqueToken()}`, undefined, {}, tracking);
    const stuck = joined(cgroup);
    await waitFor(() => cgroup.members().includes(stuck.pid!), 'the sleep to be listed');
    expect(await cgroup.remove(0)).toBe(true);
    await exited(stuck);
    expect(stuck.signalCode).toBe('SIGKILL');
    expect(openUnder(cgroup.trackingDir!)).toEqual([]);
  });
});
