import { describe, expect, it } from 'vitest';
import { isolationSpecSchema } from '../../../shared/isolation';
import { probeCapabilities, type Capabilities } from '../../../electron/engine/isolation/capabilities';
import { describeLimits } from '../../../electron/engine/isolation/describeLimits';
import { describeIsolation, describeMachine } from '../../../electron/engine/isolation/describeIsolation';
import { resolveLimits } from '../../../electron/engine/isolation/presets';

const base = probeCapabilities({ mountsText: '', selfCgroupText: '', uid: 0, gid: 0, skipTrials: true });
const v1: Capabilities = { ...base, prlimit: '/usr/bin/prlimit', bwrap: '/usr/bin/bwrap', envSignals: true, cgroup: { version: 1, memory: '/m/procdeck', pids: '/p/procdeck', memsw: true } };
const v2: Capabilities = { ...v1, cgroup: { version: 2, base: '/sys/fs/cgroup/procdeck' } };
const none: Capabilities = { ...v1, cgroup: undefined, cgroupProblem: 'no cgroups here' };
const limitsOf = (level: 'basic' | 'enhanced' | 'maximum') => resolveLimits(isolationSpecSchema.parse({ level }));
const byName = (caps: Capabilities, level: 'basic' | 'enhanced' | 'maximum' = 'basic') => new Map(describeLimits(limitsOf(level), caps).map((d) => [d.limit, d]));

describe('what backs each limit, said honestly', () => {
  it('cgroup v1: memory and processes are real caps on the whole tree', () => {
    const d = byName(v1);
    expect(d.get('memoryBytes')).toMatchObject({ value: '2 GiB', mechanism: 'cgroup v1 (memory.limit_in_bytes + memsw)', enforced: true });
    expect(d.get('memoryBytes')!.note).toContain('whole process tree');
    expect(d.get('processes')).toMatchObject({ value: '1024', mechanism: 'cgroup v1 (pids.max)', enforced: true });
    expect(d.get('processes')!.note).toContain('threads count as processes');
  });

  it('cgroup v2 names its files', () => {
    const d = byName(v2);
    expect(d.get('memoryBytes')!.mechanism).toBe('cgroup v2 (memory.max, memory.swap.max = 0)');
    expect(d.get('processes')!.mechanism).toBe('cgroup v2 (pids.max)');
  });

  it('without cgroups: RLIMIT_AS is virtual memory per process, RLIMIT_NPROC is ignored for root', () => {
    const d = byName(none);
    expect(d.get('memoryBytes')).toMatchObject({ mechanism: 'RLIMIT_AS via prlimit', enforced: true });
    expect(d.get('memoryBytes')!.note).toContain('RLIMIT_AS caps virtual address space, not resident memory, and per process, not per tree');
    expect(d.get('processes')).toMatchObject({ mechanism: 'RLIMIT_NPROC via prlimit', enforced: false });
    expect(d.get('processes')!.note).toBe('Not enforced: no pids cgroup here, and RLIMIT_NPROC is ignored for root.');
    const asUser = describeLimits(limitsOf('basic'), { ...none, root: false, uid: 1000, gid: 1000 }).find((l) => l.limit === 'processes')!;
    expect(asUser.enforced).toBe(true);
    expect(asUser.note).toContain("counts every process of the job's user");
  });

  it('CPU time and open files are per process', () => {
    const d = byName(v1);
    expect(d.get('cpuSeconds')).toMatchObject({ value: '60 min', mechanism: 'RLIMIT_CPU via prlimit' });
    expect(d.get('cpuSeconds')!.note).toContain('Per process, not per tree');
    expect(d.get('openFiles')!.note).toContain('EMFILE');
  });

  it('Maximum describes its sandbox, environment and working directory', () => {
    const d = byName(v1, 'maximum');
    expect(d.get('sandbox')).toMatchObject({ value: 'bubblewrap', enforced: true });
    expect(d.get('sandbox')!.note).toContain('no network');
    expect(d.get('cleanEnv')!.mechanism).toBe('PATH=/usr/bin:/bin, HOME, LANG only');
    expect(d.get('cwd')!.value).toBe('private (per job)');
    expect(d.get('processes')!.note).toContain("sandbox's own 2 processes");
    const refused = byName({ ...v1, bwrap: undefined, bwrapProblem: 'bubblewrap (bwrap) is not installed' }, 'maximum');
    expect(refused.get('sandbox')).toMatchObject({ enforced: false, note: 'Refused: bubblewrap (bwrap) is not installed. The level is never silently weakened.' });
  });
});

describe('describing a setting before any job exists', () => {
  it('puts what launch would refuse in the warnings', () => {
    const notRoot: Capabilities = { ...v1, root: false, uid: 1000, gid: 1000, bwrap: undefined, bwrapProblem: 'bubblewrap (bwrap) is not installed' };
    const report = describeIsolation(isolationSpecSchema.parse({ level: 'maximum' }), { uid: 0, gid: 0 }, notRoot);
    expect(report.level).toBe('maximum');
    expect(report.warnings).toEqual([
      'refused at launch: running a job as root:root needs Procdeck to run as root (it runs as uid 1000)',
      'refused at launch: isolation level Maximum needs bubblewrap (bubblewrap (bwrap) is not installed)',
    ]);
    expect(describeMachine(notRoot)).toContain('Maximum unavailable: bubblewrap (bwrap) is not installed');
  });
});
