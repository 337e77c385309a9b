// How a run joins its cgroup: born in it when it has no limit (the engine joins around the fork),
// through the `sh` wrapper when it has one (the engine must never be inside a cap); a cgroup
// that cannot be joined starts nothing, and the engine stays in its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeCapabilities } from '../../../electron/engine/isolation/capabilities';
import { spawnProcess } from '../../../electron/engine/supervisor/spawnProcess';
import { cleanupLaunched, launch } from './helpers';

const caps = probeCapabilities();
const limitsHere = caps.root && caps.cgroup !== undefined;
afterEach(cleanupLaunched);

/** cat reads its own cgroups as it starts: what it prints is where it ran from its first instruction. */
const catOwnCgroups = { kind: 'argv' as const, program: 'cat', args: ['/proc/self/cgroup'] };

/** The run joined through the `sh` prefix, not born inside, and was in its cgroup all the same. */
async function expectJoinedThroughWrapper(launched: ReturnType<typeof launch>): Promise<void> {
  expect(launched.launch.plan.bornInto).toBeUndefined();
  expect(launched.launch.plan.file).toBe('/bin/sh');
  const { end } = await launched.ended();
  expect(end).toEqual({ kind: 'exit', exitCode: 0 });
  expect(launched.output()).toContain(`/procdeck/${launched.cgroupName}\n`);
}

describe.runIf(caps.tracking !== undefined)('where a run joins its cgroup', () => {
  it.runIf(limitsHere)('a run with a limit joins through the wrapper, inside its cap from its first instruction', async () => {
    await expectJoinedThroughWrapper(launch({ command: catOwnCgroups, isolation: { level: 'none', overrides: { processes: 20 } }, caps }));
  });

  it('where the tracking cgroup accounts memory (no bornFrom: pure v2), a run without limits joins through the wrapper', async () => {
    const { bornFrom: _engineCgroup, ...tracking } = caps.tracking!;
    await expectJoinedThroughWrapper(launch({ command: catOwnCgroups, caps: { ...caps, tracking } }));
  });

  it('a cgroup that cannot be joined starts nothing, and the engine stays where it was', async () => {
    const engineBefore = readFileSync('/proc/self/cgroup', 'utf8');
    const home = join(caps.tracking!.bornFrom!, 'cgroup.procs');
    const child = spawnProcess({ file: '/bin/true', args: [], cwd: '/', env: {}, bornInto: { procs: join(caps.tracking!.base, 'no-such-run', 'cgroup.procs'), home } }, 'closed');
    expect(child.pid).toBeUndefined();
    expect(await child.exited).toMatchObject({ kind: 'spawn-error', message: expect.stringMatching(/cannot join the run's cgroup .*ENOENT/) });
    expect(readFileSync('/proc/self/cgroup', 'utf8')).toBe(engineBefore);
  });
});
