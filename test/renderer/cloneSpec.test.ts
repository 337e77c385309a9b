import { describe, expect, it } from 'vitest';
import type { IsolationLevel } from '../../shared/isolation';
import { jobSpecSchema, type JobSpec, type JobSpecInput } from '../../shared/jobSpec';
import { cloneIntoForm } from '../../renderer/src/features/launch/cloneSpec';
import { specFromForm } from '../../renderer/src/features/launch/formSpec';
import { joinArgv, splitArgv } from '../../renderer/src/features/launch/splitArgv';

const spec = (input: JobSpecInput): JobSpec => jobSpecSchema.parse(input);

/** Clones the spec into the form, builds a spec from the form as Start does, and reads both as the engine would. */
function roundTrip(input: JobSpecInput, defaultLevel: IsolationLevel = 'none') {
  const original = spec({ name: 'web', ...input });
  const cloned = cloneIntoForm({ name: 'web', spec: original }, defaultLevel);
  const built = specFromForm(cloned.form, defaultLevel);
  if ('errors' in built) throw new Error(`the cloned form does not build: ${JSON.stringify(built.errors)}`);
  return { original, rebuilt: jobSpecSchema.parse(built.spec), cloned };
}

/** Specs the form can hold entirely: each comes back the same, under its new name, with nothing listed as not copied. */
const FAITHFUL: Record<string, JobSpecInput> = {
  'a plain shell command': { command: { kind: 'shell', script: 'echo hi; sleep 60 | cat' } },
  'a program with awkward arguments': {
    command: { kind: 'argv', program: '/usr/bin/python3', args: ['-u', 'my script.py', "it's", '', 'a"b\\c', '$HOME', 'tab\there', 'line\nbreak', '--flag=x'] },
  },
  'every option the form has': {
    command: { kind: 'shell', script: 'sleep 100' },
    cwd: '/tmp',
    env: { mode: 'clean', set: { A: '1', B: 'two words', C: 'x=y', EMPTY: '' } },
    timeoutMs: 90_500,
    group: 'build',
    priority: -7,
    restart: { when: 'on-failure', initialDelayMs: 250, factor: 1.5, maxDelayMs: 30_000, maxRestarts: 3, windowMs: 120_000, minUptimeMs: 1500 },
    affinity: { mode: 'fixed', cores: [0, 1] },
    nice: 5,
    mergeStderr: true,
    isolation: { level: 'basic', overrides: { memoryBytes: 256 * 1024 * 1024, cpuSeconds: null, openFiles: 512, processes: 64, wallClockMs: 60_000, cleanEnv: false } },
    runAs: { uid: 'nobody', gid: 65534 },
    alerts: [
      { id: 'cpu-1', kind: 'cpu', percent: 90, forSeconds: 10, action: 'notify' },
      { id: 'mem-1', kind: 'memory', bytes: 1 << 30, action: 'restart' },
      { id: 'run-1', kind: 'runtime', seconds: 3600, action: 'stop' },
    ],
  },
  'least-loaded affinity over all cores, restart always': { command: { kind: 'shell', script: 'true' }, affinity: { mode: 'least-loaded' }, restart: { when: 'always' } },
  'round-robin over some cores': { command: { kind: 'shell', script: 'true' }, affinity: { mode: 'round-robin', cores: [1, 3] } },
  'a group only as run-as': { command: { kind: 'argv', program: 'id', args: [] }, runAs: { gid: 'staff' } },
  'isolation asked for at the default level': { command: { kind: 'shell', script: 'true' }, isolation: { level: 'enhanced' } },
  'on the Slurm cluster with its resources': {
    command: { kind: 'argv', program: 'srun-me', args: ['--x'] },
    where: { kind: 'slurm', partition: 'gpu', cpus: 4, memoryBytes: 2048 * 1024 * 1024, timeLimitMs: 90 * 60_000, nodes: 2 },
  },
  'on the cluster, nothing asked of it': { command: { kind: 'shell', script: 'hostname' }, where: { kind: 'slurm' } },
};

describe('cloning a job into the launch form', () => {
  for (const [what, input] of Object.entries(FAITHFUL)) {
    it(`gives the same spec back from the filled form: ${what}`, () => {
      const { original, rebuilt, cloned } = roundTrip(input);
      expect(rebuilt).toEqual({ ...original, name: 'web copy' });
      expect(cloned.notCopied).toEqual([]);
    });
  }

  it('keeps an absent isolation on the settings default, whatever that default is', () => {
    const { original, rebuilt, cloned } = roundTrip({ command: { kind: 'shell', script: 'true' } }, 'enhanced');
    expect(original.isolation).toBeUndefined();
    expect(rebuilt.isolation).toEqual({ level: 'enhanced', overrides: {} });
    expect(cloned.form.isolation.level).toBeNull();
    expect(cloned.notCopied).toEqual([]);
  });

  it('lists round-robin cores out of ascending order, which the form cannot keep, and keeps the cores', () => {
    const { form, notCopied } = cloneIntoForm({ name: 'w', spec: spec({ command: { kind: 'shell', script: 'true' }, affinity: { mode: 'round-robin', cores: [3, 1] } }) }, 'none');
    expect(form.scheduling.cores).toEqual([3, 1]);
    expect(notCopied).toEqual(['the order of the cores (3, 1): the form takes them in ascending order']);
  });

  it('names the job "<name> copy", also when the spec itself has no name', () => {
    const cloned = cloneIntoForm({ name: 'job 7', spec: spec({ command: { kind: 'shell', script: 'true' } }) }, 'none');
    expect(cloned.form.launch.name).toBe('job 7 copy');
  });

  it('lists what the form cannot hold instead of dropping it: dependencies, stdin, grace, a clean env allow list, a sandbox cwd', () => {
    const original = spec({
      command: { kind: 'shell', script: 'true' },
      dependsOn: ['j1', 'j2'],
      stdin: 'closed',
      graceMs: 2500,
      env: { mode: 'clean', allow: ['PATH', 'TZ'], set: { A: '1' } },
      isolation: { level: 'maximum', overrides: { cwd: 'private' } },
    });
    const { form, notCopied } = cloneIntoForm({ name: 'w', spec: original }, 'none', { j1: 'db' });
    expect(notCopied).toEqual([
      'depends on db, j2',
      'the variables a clean environment keeps (PATH, TZ)',
      'grace period 2.5 s',
      "isolation overrides the form has no field for (e.g. the sandbox's working directory)",
      'stdin closed',
    ]);
    // What it could hold is still there.
    expect(form.isolation.level).toBe('maximum');
    expect(form.launch.env).toBe('A=1');
  });

  it('lists an environment value with a line break, which KEY=value lines cannot write', () => {
    const { notCopied } = cloneIntoForm({ name: 'w', spec: spec({ command: { kind: 'shell', script: 'true' }, env: { set: { MULTI: 'a\nb' } } }) }, 'none');
    expect(notCopied).toEqual(['environment values the form cannot write as KEY=value lines']);
  });

  it("lists a declared service's probes, schedule and watch, which are its declaration's, not its spec's", () => {
    const { notCopied } = cloneIntoForm({ name: 'web', spec: spec({ command: { kind: 'shell', script: 'true' } }), declared: { file: '/srv/procdeck.yaml', name: 'web' } }, 'none');
    expect(notCopied).toEqual(['what /srv/procdeck.yaml declares beyond the spec for web (readiness and liveness probes, schedule, watch, autostart)']);
  });

  it('lists isolation on the cluster, where the form sends none', () => {
    const { notCopied } = cloneIntoForm({ name: 'w', spec: spec({ command: { kind: 'shell', script: 'true' }, where: { kind: 'slurm' }, isolation: { level: 'basic' } }) }, 'none');
    expect(notCopied).toEqual(['isolation (not used on the cluster)']);
  });

  it('quotes program arguments so that they split back into the same words', () => {
    const words = ['a b', "it's", '', '"q"', 'back\\slash', '*', '~', 'plain-word'];
    expect(splitArgv(joinArgv(words))).toEqual({ ok: true, argv: words });
  });
});
