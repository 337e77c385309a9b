import { afterEach, describe, expect, it } from 'vitest';
import { probeCapabilities } from '../../../electron/engine/isolation/capabilities';
import { cleanupLaunched, launch, prepare } from './helpers';

afterEach(cleanupLaunched);
const caps = probeCapabilities();

describe('the cleaned environment (Enhanced)', () => {
  it('holds only PATH, HOME, LANG and what the job sets itself', async () => {
    const job = launch({
      command: { kind: 'argv', program: 'env' },
      spec: { env: { set: { JOB_OWN: 'kept' } } },
      isolation: { level: 'enhanced', overrides: { memoryBytes: null, processes: null } },
      caps,
      baseEnv: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/root', LANG: 'C.UTF-8', SECRET_TOKEN: 'leak', SSH_AUTH_SOCK: '/run/agent' },
    });
    await job.ended();
    // And the run's marker; the tracking cgroup's shell in front adds nothing (not even PWD).
    expect(job.output().trim().split('\n').sort()).toEqual(['HOME=/root', 'JOB_OWN=kept', 'LANG=C.UTF-8', 'PATH=/usr/bin:/bin', `PDK_RUN_ID=${job.marker}`]);
  });

  it('reports a program the cleaned PATH cannot find', () => {
    expect(() => prepare({ command: { kind: 'argv', program: 'procdeck-no-such-tool' }, isolation: { level: 'enhanced' }, caps })).toThrow(/command not found/);
  });

  it('fixes the working directory to a private one when asked', async () => {
    const job = launch({ command: { kind: 'argv', program: 'pwd' }, isolation: { level: 'basic', overrides: { cwd: 'private' } }, caps });
    await job.ended();
    expect(job.output().trim()).toBe(job.prep.privateDir);
  });

  it('adds nothing at level none: the plan is the one planLaunch made', () => {
    const prep = prepare({ command: { kind: 'argv', program: 'true' } });
    expect(prep.passthrough).toBe(true);
    expect(prep.report).toEqual({ level: 'none', limits: [], warnings: [] });
  });
});
