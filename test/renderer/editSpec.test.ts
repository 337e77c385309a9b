import { describe, expect, it } from 'vitest';
import type { ConfigApplyResult } from '../../shared/configCommands';
import { jobSpecSchema, type JobSpec, type JobSpecInput } from '../../shared/jobSpec';
import { describeSaved } from '../../renderer/src/features/launch/definitionSave';
import { editIntoForm, mergeOver, specToSave } from '../../renderer/src/features/launch/editSpec';
import { specFromForm, type LaunchFormValues } from '../../renderer/src/features/launch/formSpec';

const spec = (input: JobSpecInput): JobSpec => jobSpecSchema.parse(input);
const declared = { file: '/srv/app/procdeck.yaml', name: 'web', autostart: true };

/** A definition filled into the form, the form changed as the operator would, and the spec Save definition sends, read as the engine reads it. */
function saveEdited(input: JobSpecInput, change: (form: LaunchFormValues) => LaunchFormValues = (form) => form) {
  const original = spec({ name: 'web', cwd: '/srv/app', ...input });
  const filled = editIntoForm({ spec: original, declared }, 'none', { j1: 'db' });
  const built = specFromForm(change(filled.form), 'none');
  if ('errors' in built) throw new Error(`the form does not build: ${JSON.stringify(built.errors)}`);
  const saved = specToSave(filled.edit, built.spec);
  if ('error' in saved) throw new Error(saved.error);
  return { original, filled, saved: jobSpecSchema.parse(saved.spec) };
}

const withCommand = (script: string) => (form: LaunchFormValues): LaunchFormValues => ({ ...form, launch: { ...form.launch, command: script } });

describe('editing a definition in the launch form', () => {
  it('fills the form under the definition’s own name, keeping its autostart for the save', () => {
    const { filled } = saveEdited({ command: { kind: 'shell', script: 'python3 -m http.server' } });
    expect(filled.form.launch).toMatchObject({ name: 'web', command: 'python3 -m http.server', runAs: 'shell', cwd: '/srv/app' });
    expect(filled.edit).toMatchObject({ name: 'web', file: '/srv/app/procdeck.yaml', autostart: true });
    expect(filled.notCopied).toEqual([]);
  });

  it('saves what the operator changed and keeps what the form cannot hold: grace period, stdin, a clean env’s list, a multi-line value, the order of cores', () => {
    const { original, filled, saved } = saveEdited(
      {
        command: { kind: 'shell', script: 'serve --old' },
        graceMs: 12_000,
        stdin: 'closed',
        env: { mode: 'clean', allow: ['PATH', 'TZ'], set: { PORT: '8080', CERT: 'line one\nline two' } },
        affinity: { mode: 'fixed', cores: [3, 1] },
        dependsOn: ['j1'],
      },
      withCommand('serve --new'),
    );
    expect(filled.notCopied).toEqual(expect.arrayContaining(['grace period 12 s', 'stdin closed', 'depends on db']));
    expect(saved).toEqual({
      ...original,
      command: { kind: 'shell', script: 'serve --new' },
      // The file keeps its dependencies by name; the spec's job ids are not sent.
      dependsOn: [],
    });
  });

  it('takes the edit where the operator changed a part the form holds only partly', () => {
    const { saved } = saveEdited(
      { command: { kind: 'shell', script: 'x' }, env: { mode: 'inherit', set: { PORT: '8080', CERT: 'a\nb' } }, affinity: { mode: 'fixed', cores: [3, 1] } },
      (form) => ({ ...form, launch: { ...form.launch, env: 'PORT=9090\nNEW=1' }, scheduling: { ...form.scheduling, cores: [0, 2] } }),
    );
    // A variable the form could not show stays; the ones it showed are as edited (PORT changed, NEW added).
    expect(saved.env.set).toEqual({ PORT: '9090', NEW: '1', CERT: 'a\nb' });
    expect(saved.affinity).toEqual({ mode: 'fixed', cores: [0, 2] });
  });

  it('a change of kind (shell to argv, local to the cluster) leaves nothing of the old kind behind', () => {
    const { saved } = saveEdited({ command: { kind: 'shell', script: 'sleep 5' } }, (form) => ({ ...form, launch: { ...form.launch, runAs: 'argv', command: 'sleep 6' } }));
    expect(saved.command).toEqual({ kind: 'argv', program: 'sleep', args: ['6'] });
    expect(mergeOver<unknown>({ where: { kind: 'slurm', partition: 'gpu' } }, { where: { kind: 'slurm', partition: 'gpu' } }, { where: undefined })).toEqual({});
  });

  it('refuses to save a definition the form could not read back, rather than lose part of it', () => {
    const original = spec({ name: 'web', command: { kind: 'shell', script: 'x' } });
    const refused = specToSave({ name: 'web', file: '/srv/app/procdeck.yaml', autostart: false, original }, { command: { kind: 'shell', script: 'y' } });
    expect(refused).toEqual({ error: 'web could not be read into this form whole, so saving it from here could lose some of it: edit it in /srv/app/procdeck.yaml' });
  });
});

describe('what the launch form says once a definition is saved', () => {
  const result = (over: Partial<ConfigApplyResult>): ConfigApplyResult => ({ file: '/srv/app/procdeck.yaml', added: [], removed: [], changed: [], unchanged: [], warnings: [], started: [], restarted: [], jobs: [], ...over });
  it('names the definition and the file, and what applying it did', () => {
    expect(describeSaved('nightly', result({ added: ['nightly'] }), false)).toBe('Saved definition nightly in procdeck.yaml; not started');
    expect(describeSaved('web', result({ changed: [{ name: 'web', fields: ['command'], needsRestart: true }], restarted: ['web'] }), true)).toBe('Saved definition web in procdeck.yaml; restarted to take it');
    expect(describeSaved('web', result({ changed: [{ name: 'web', fields: ['command'], needsRestart: true }] }), true)).toBe('Saved definition web in procdeck.yaml');
    expect(describeSaved('web', result({ unchanged: ['web'] }), true)).toBe('Definition web in procdeck.yaml is unchanged');
  });
});
