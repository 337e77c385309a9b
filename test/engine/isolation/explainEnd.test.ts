import { describe, expect, it } from 'vitest';
import { isolationSpecSchema } from '../../../shared/isolation';
import { explainEnd, normalizeSandboxEnd, type EndContext } from '../../../electron/engine/isolation/explainEnd';
import { resolveLimits } from '../../../electron/engine/isolation/presets';

const limits = resolveLimits(isolationSpecSchema.parse({ level: 'none', overrides: { memoryBytes: 256 * 1024 * 1024, cpuSeconds: 10, processes: 20, wallClockMs: 60_000 } }));
const ctx = (more: Partial<EndContext> = {}): EndContext => ({ limits, mechanisms: { memory: 'cgroup', processes: 'cgroup', rlimits: [] }, counters: { oomKills: 0, forksRefused: 0 }, ...more });

describe('explaining how a run ended', () => {
  it('names the memory limit when the OOM killer acted', () => {
    const counters = { oomKills: 1, forksRefused: 0 };
    expect(explainEnd({ kind: 'signal', signal: 'SIGKILL' }, ctx({ counters }))).toBe('memory limit 256 MiB exceeded (the kernel killed the job)');
    expect(explainEnd({ kind: 'exit', exitCode: 1 }, ctx({ counters: { oomKills: 2, forksRefused: 0 } }))).toBe(
      'memory limit 256 MiB exceeded (the kernel killed 2 processes of the job)',
    );
  });

  it('names the CPU limit on SIGXCPU, and on SIGKILL only when the run lasted long enough', () => {
    expect(explainEnd({ kind: 'signal', signal: 'SIGXCPU' }, ctx())).toBe('CPU time limit 10 s exceeded (SIGXCPU)');
    expect(explainEnd({ kind: 'signal', signal: 'SIGKILL' }, ctx({ elapsedMs: 12_000 }))).toContain('CPU time limit 10 s exceeded (SIGKILL');
    expect(explainEnd({ kind: 'signal', signal: 'SIGKILL' }, ctx({ elapsedMs: 2000 }))).toBeUndefined();
  });

  it('adds refused forks, and the wall-clock limit when it was the timeout in force', () => {
    expect(explainEnd({ kind: 'exit', exitCode: 2 }, ctx({ counters: { oomKills: 0, forksRefused: 3 } }))).toBe('process limit 20 reached (the kernel refused 3 forks)');
    expect(explainEnd({ kind: 'signal', signal: 'SIGTERM' }, ctx({ endCause: 'timeout', timeoutFromLimit: true }))).toBe('wall-clock limit 60 s exceeded');
    expect(explainEnd({ kind: 'signal', signal: 'SIGTERM' }, ctx({ endCause: 'timeout' }))).toBeUndefined();
  });

  it("blames no limit for an operator's stop, a clean exit or a spawn error", () => {
    expect(explainEnd({ kind: 'signal', signal: 'SIGKILL' }, ctx({ endCause: 'operator', counters: { oomKills: 1, forksRefused: 0 } }))).toBeUndefined();
    expect(explainEnd({ kind: 'exit', exitCode: 0 }, ctx())).toBeUndefined();
    expect(explainEnd({ kind: 'spawn-error', message: 'ENOENT' }, ctx())).toBeUndefined();
  });

  it('turns a sandbox exit status 128+n back into the signal', () => {
    expect(normalizeSandboxEnd({ kind: 'exit', exitCode: 137 })).toEqual({ kind: 'signal', signal: 'SIGKILL' });
    expect(normalizeSandboxEnd({ kind: 'exit', exitCode: 143 })).toEqual({ kind: 'signal', signal: 'SIGTERM' });
    expect(normalizeSandboxEnd({ kind: 'exit', exitCode: 1 })).toEqual({ kind: 'exit', exitCode: 1 });
  });
});
