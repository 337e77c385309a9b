import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMounts, parseSelfCgroup, probeCapabilities } from '../../../electron/engine/isolation/capabilities';
import { JobCgroup } from '../../../electron/engine/isolation/jobCgroup';
import { reapStaleCgroups } from '../../../electron/engine/isolation/reapCgroups';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function fakeRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'procdeck-cg-'));
  dirs.push(dir);
  return dir;
}

describe('capability probe', () => {
  it('parses mounts (with escaped spaces) and our own cgroup paths', () => {
    const mounts = parseMounts('cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,memory 0 0\ncgroup2 /a\\040b cgroup2 rw 0 0\n');
    expect(mounts).toEqual([
      { point: '/sys/fs/cgroup/memory', type: 'cgroup', options: ['rw', 'nosuid', 'memory'] },
      { point: '/a b', type: 'cgroup2', options: ['rw'] },
    ]);
    const self = parseSelfCgroup('8:pids:/\n4:memory:/box/1\n2:cpu,cpuacct:/x\n0::/user.slice\n');
    expect(self.get('memory')).toBe('/box/1');
    expect(self.get('cpuacct')).toBe('/x');
    expect(self.get('')).toBe('/user.slice');
  });

  it('uses cgroup v2 when its root offers memory and pids, enabling them for its children', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma\n');
    const caps = probeCapabilities({ mountsText: `cgroup2 ${root} cgroup2 rw 0 0\n`, selfCgroupText: '0::/\n', uid: 0, gid: 0, skipTrials: true });
    expect(caps.cgroup).toEqual({ version: 2, base: join(root, 'procdeck') });
    expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids');
    expect(readFileSync(join(root, 'procdeck', 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids');
    // The runs' cgroups account memory here: the engine is never inside one (no bornFrom), runs join through sh.
    expect(caps.tracking).toEqual({ version: 2, base: join(root, 'procdeck'), kill: false });
  });

  it('on a hybrid machine (v2 without controllers) falls back to v1, nested under our own cgroup', () => {
    const root = fakeRoot();
    mkdirSync(join(root, 'unified'));
    writeFileSync(join(root, 'unified', 'cgroup.controllers'), 'hugetlb\n');
    mkdirSync(join(root, 'memory'));
    mkdirSync(join(root, 'pids'));
    const mounts = [`cgroup2 ${root}/unified cgroup2 rw 0 0`, `cgroup ${root}/memory cgroup rw,memory 0 0`, `cgroup ${root}/pids cgroup rw,pids 0 0`].join('\n');
    const caps = probeCapabilities({ mountsText: mounts, selfCgroupText: '8:pids:/\n4:memory:/box/1\n', uid: 0, gid: 0, skipTrials: true });
    expect(caps.cgroup).toEqual({ version: 1, memory: join(root, 'memory/box/1/procdeck'), pids: join(root, 'pids/procdeck'), memsw: false });
  });

  it('tracks runs in the v2 hierarchy on a hybrid machine, nested under our own v2 cgroup', () => {
    const root = fakeRoot();
    for (const dir of ['unified', 'memory', 'pids', 'freezer']) mkdirSync(join(root, dir));
    writeFileSync(join(root, 'unified', 'cgroup.controllers'), 'hugetlb\n');
    const mounts = [`cgroup2 ${root}/unified cgroup2 rw 0 0`, `cgroup ${root}/memory cgroup rw,memory 0 0`, `cgroup ${root}/pids cgroup rw,pids 0 0`, `cgroup ${root}/freezer cgroup rw,freezer 0 0`].join('\n');
    const caps = probeCapabilities({ mountsText: mounts, selfCgroupText: '8:pids:/\n6:freezer:/\n4:memory:/box/1\n0::/svc\n', uid: 0, gid: 0, skipTrials: true });
    // No cgroup.kill in a fake tree: the kill freezes first.
    expect(caps.tracking).toEqual({ version: 2, base: join(root, 'unified/svc/procdeck'), kill: false, bornFrom: join(root, 'unified/svc') });
  });

  it('tracks runs in the v1 freezer where there is no v2 hierarchy, else in pids', () => {
    const root = fakeRoot();
    for (const dir of ['pids', 'freezer']) mkdirSync(join(root, dir));
    const freezer = `cgroup ${root}/freezer cgroup rw,freezer 0 0`;
    const pids = `cgroup ${root}/pids cgroup rw,pids 0 0`;
    const self = '8:pids:/a\n6:freezer:/b\n';
    expect(probeCapabilities({ mountsText: `${pids}\n${freezer}`, selfCgroupText: self, uid: 0, gid: 0, skipTrials: true }).tracking).toEqual({
      version: 1,
      base: join(root, 'freezer/b/procdeck'),
      hierarchy: 'freezer',
      bornFrom: join(root, 'freezer/b'),
    });
    // Without the freezer: the pids hierarchy, the same parent as the process caps'.
    const caps = probeCapabilities({ mountsText: pids, selfCgroupText: self, uid: 0, gid: 0, skipTrials: true });
    expect(caps.tracking).toEqual({ version: 1, base: join(root, 'pids/a/procdeck'), hierarchy: 'pids', bornFrom: join(root, 'pids/a') });
    expect(caps.cgroup).toMatchObject({ pids: join(root, 'pids/a/procdeck') });
  });

  it('says why there are no cgroups', () => {
    const caps = probeCapabilities({ mountsText: '', selfCgroupText: '', uid: 1000, gid: 1000, skipTrials: true });
    expect(caps.cgroup).toBeUndefined();
    expect(caps.cgroupProblem).toBe('no cgroup v2 hierarchy is mounted; cgroup v1: no memory cgroup hierarchy is mounted; no pids cgroup hierarchy is mounted');
    expect(caps.root).toBe(false);
    expect(caps.tracking).toBeUndefined();
    expect(caps.trackingProblem).toMatch(/no per-run tracking cgroup: .*; runs are tracked by their environment marker instead/);
  });
});

describe('a run cgroup on v2 (files checked on a fake tree)', () => {
  it('writes the caps and reads the kernel counters', async () => {
    const base = fakeRoot();
    const cgroup = JobCgroup.create('r1', { version: 2, base }, { memoryBytes: 256 * 1024 * 1024, processes: 20 });
    const dir = join(base, 'r1');
    expect(readFileSync(join(dir, 'memory.max'), 'utf8')).toBe('268435456');
    expect(readFileSync(join(dir, 'memory.swap.max'), 'utf8')).toBe('0');
    expect(readFileSync(join(dir, 'pids.max'), 'utf8')).toBe('20');
    expect(cgroup.procsFiles).toEqual([join(dir, 'cgroup.procs')]);
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n');
    writeFileSync(join(dir, 'pids.events'), 'max 7\n');
    expect(cgroup.counters()).toEqual({ oomKills: 1, forksRefused: 7 });
  });

  it('refuses cleanly when the kernel refuses', () => {
    expect(() => JobCgroup.create('r1', { version: 2, base: '/nonexistent/procdeck' }, { processes: 5 })).toThrow(
      "could not set up the job's cgroup under r1 (ENOENT)",
    );
  });
});

describe('stale cgroups at start-up', () => {
  it("removes the dead engine's runs and old empty ones, leaves fresh ones alone", () => {
    const base = fakeRoot();
    for (const name of ['dead-run', 'old-empty', 'fresh']) mkdirSync(join(base, name));
    const caps = probeCapabilities({ mountsText: '', selfCgroupText: '', skipTrials: true });
    const reaped = reapStaleCgroups({ ...caps, cgroup: { version: 2, base } }, undefined, ['dead-run'], 60_000);
    expect(reaped.map((r) => r.dir)).toEqual([join(base, 'dead-run')]);
    expect(reapStaleCgroups({ ...caps, cgroup: { version: 2, base } }, undefined, [], 0).map((r) => r.dir).sort()).toEqual([join(base, 'fresh'), join(base, 'old-empty')]);
  });
});
