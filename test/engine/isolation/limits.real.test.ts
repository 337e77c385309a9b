import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeCapabilities } from '../../../electron/engine/isolation/capabilities';
import { readKeyed } from '../../../electron/engine/isolation/jobCgroup';
import { cleanupLaunched, groupMembers, launch, waitFor } from './helpers';

afterEach(cleanupLaunched);

const caps = probeCapabilities();
const MIB = 1024 * 1024;
const cgroups = caps.cgroup !== undefined;
const python = existsSync('/usr/bin/python3');

describe('resource limits on real processes', () => {
  it.runIf(cgroups)('contains a fork bomb under a process cap, and the machine stays usable', async () => {
    const job = launch({
      command: { kind: 'shell', script: 'i=0; while [ $i -lt 200 ]; do sleep 2 & i=$((i+1)); done; wait' },
      isolation: { level: 'none', overrides: { processes: 20 } },
      caps,
    });
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, job.launch.members().length)), 10);
    const pidsParent = caps.cgroup?.version === 2 ? caps.cgroup.base : caps.cgroup?.pids;
    // At its cap once the kernel has refused a fork (counted in pids.events).
    await waitFor(() => readKeyed(join(pidsParent!, job.cgroupName, 'pids.events'), 'max') > 0, 'the kernel to refuse a fork');
    // While the bomb is at its cap, the rest of the machine can still start processes.
    expect(spawnSync('/bin/true').status).toBe(0);
    const { reason } = await job.ended();
    clearInterval(watch);
    expect(most).toBeGreaterThan(5);
    expect(most).toBeLessThanOrEqual(20);
    expect(job.stderr()).toMatch(/fork/i);
    expect(reason).toMatch(/process limit 20 reached \(the kernel refused \d+ forks?\)/);
  });

  it.runIf(cgroups)('stops a memory hog at the memory cap and names the limit', async () => {
    const job = launch({
      command: { kind: 'argv', program: process.execPath, args: ['-e', 'const b = Buffer.alloc(600 * 1024 * 1024); b.fill(1); console.log("survived")'] },
      isolation: { level: 'none', overrides: { memoryBytes: 256 * MIB } },
      caps,
    });
    const { end, reason } = await job.ended();
    expect(end).toEqual({ kind: 'signal', signal: 'SIGKILL' });
    expect(job.output()).not.toContain('survived');
    expect(reason).toBe('memory limit 256 MiB exceeded (the kernel killed the job)');
  });

  it.runIf(python)('without cgroups, falls back to RLIMIT_AS (virtual memory) and says so', async () => {
    const noCgroups = { ...caps, cgroup: undefined, cgroupProblem: 'test: no cgroups' };
    const job = launch({
      command: { kind: 'argv', program: '/usr/bin/python3', args: ['-c', 'b = bytearray(600 * 1024 * 1024); print("survived")'] },
      isolation: { level: 'none', overrides: { memoryBytes: 256 * MIB } },
      caps: noCgroups,
    });
    const { end } = await job.ended();
    expect(end).toEqual({ kind: 'exit', exitCode: 1 });
    expect(job.stderr()).toContain('MemoryError');
    const memory = job.prep.report.limits.find((l) => l.limit === 'memoryBytes')!;
    expect(memory.mechanism).toContain('RLIMIT_AS');
    expect(memory.note).toContain('virtual address space, not resident memory');
  });

  it('ends a CPU spinner at its CPU-time cap and names the limit', async () => {
    const job = launch({
      command: { kind: 'argv', program: '/bin/sh', args: ['-c', 'while :; do :; done'] },
      isolation: { level: 'none', overrides: { cpuSeconds: 1 } },
      caps,
    });
    const { end, reason } = await job.ended();
    expect(end).toEqual({ kind: 'signal', signal: 'SIGXCPU' });
    expect(reason).toBe('CPU time limit 1 s exceeded (SIGXCPU)');
  });

  it('names the CPU limit when a child of a shell job hits it', async () => {
    const job = launch({
      command: { kind: 'shell', script: 'sh -c "while :; do :; done"; exit $?' },
      isolation: { level: 'none', overrides: { cpuSeconds: 1 } },
      caps,
    });
    const { end, reason } = await job.ended();
    expect(end).toEqual({ kind: 'exit', exitCode: 152 });
    expect(reason).toBe('CPU time limit 1 s exceeded (a process of the job got SIGXCPU (exit 152))');
  });

  it.runIf(python)('kills at the hard CPU limit a job that ignores SIGXCPU', async () => {
    const job = launch({
      command: { kind: 'argv', program: '/usr/bin/python3', args: ['-c', 'import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True: pass'] },
      isolation: { level: 'none', overrides: { cpuSeconds: 1 } },
      caps,
    });
    const { end, reason } = await job.ended();
    expect(end).toEqual({ kind: 'signal', signal: 'SIGKILL' });
    expect(reason).toContain('CPU time limit 1 s exceeded (SIGKILL at the hard limit');
  });

  it.runIf(python)('too many open files fails inside the job', async () => {
    const script = ['fs = []', 'try:', "    while True: fs.append(open('/dev/null'))", 'except OSError as e:', "    print('failed after', len(fs), e.strerror)", '    raise SystemExit(3)'].join('\n');
    const job = launch({
      command: { kind: 'argv', program: '/usr/bin/python3', args: ['-c', script] },
      isolation: { level: 'none', overrides: { openFiles: 16 } },
      caps,
    });
    const { end, reason } = await job.ended();
    expect(end).toEqual({ kind: 'exit', exitCode: 3 });
    const match = /failed after (\d+) Too many open files/.exec(job.output());
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeLessThan(16);
    expect(reason).toBeUndefined();
  });

  it('applies every rlimit of a preset, as the job sees them', async () => {
    const job = launch({ command: { kind: 'shell', script: 'ulimit -n; ulimit -t' }, isolation: { level: 'enhanced' }, caps });
    await job.ended();
    expect(job.output().split('\n').slice(0, 2)).toEqual(['1024', '600']);
  });

  it.runIf(cgroups)('puts the job in its cgroups before its first instruction, and removes them afterwards', async () => {
    const job = launch({ command: { kind: 'shell', script: 'cat /proc/self/cgroup' }, isolation: { level: 'basic' }, caps });
    await job.ended();
    // The shell's child (cat) already lives in the run's cgroups: the limits' and the tracking one.
    const name = job.cgroupName;
    if (caps.cgroup?.version === 1) {
      expect(job.output()).toMatch(new RegExp(`memory:.*/procdeck/${name}\n`));
      expect(job.output()).toMatch(new RegExp(`pids:.*/procdeck/${name}\n`));
    }
    const tracking = caps.tracking?.version === 2 ? '0:' : `${caps.tracking?.version === 1 ? caps.tracking.hierarchy : 'none'}:`;
    expect(job.output()).toMatch(new RegExp(`${tracking}.*/procdeck/${name}\n`));
    const dirs = job.launch.plan.args.filter((a) => a.endsWith('/cgroup.procs')).map((f) => f.replace(/\/cgroup\.procs$/, ''));
    expect(dirs.length).toBe(new Set([caps.tracking?.base, ...(caps.cgroup?.version === 1 ? [caps.cgroup.memory, caps.cgroup.pids] : [caps.cgroup?.base])]).size);
    await job.launch.cleanup(1000);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });

  it.runIf(cgroups)('cleanup waits for leftovers, then kills what escaped the process group', async () => {
    const job = launch({ command: { kind: 'shell', script: 'setsid sleep 30 >/dev/null 2>&1 & echo started' }, isolation: { level: 'none', overrides: { processes: 10 } }, caps });
    await job.ended();
    // The main process is gone; its child left the group (setsid) but not the run's cgroup.
    await waitFor(() => groupMembers(job.pid).length === 0, 'the child to leave the process group');
    expect(job.launch.members().length).toBe(1);
    await job.launch.cleanup(200);
    expect(job.launch.members()).toEqual([]);
  });
});
