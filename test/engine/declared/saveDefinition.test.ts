import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { closeEngines, openEngine, tempDir, waitForState } from '../helpers';

afterEach(closeEngines);

const declaredNamed = (engine: Engine, name: string) => engine.jobs.list().find((job) => job.declared?.name === name);

describe('config.saveDefinition: a clicked job kept as a definition', () => {
  it('saves a spec into a new file in the data dir without running it, then with autostart; the job runs as the click did', async () => {
    const dataDir = tempDir();
    const work = tempDir('pdk-save-work-');
    const engine = openEngine({ dataDir });
    const clicked = engine.jobs.start({ name: 'clicked', command: { kind: 'shell', script: 'echo "in $PWD with $GREETING"' }, cwd: work, env: { set: { GREETING: 'hi' } }, group: 'tools', nice: 5 });
    await waitForState(engine, clicked.id, 'exited');

    const saved = await engine.services.saveDefinition({ name: 'greeter', spec: engine.jobs.get(clicked.id).spec, autostart: false, replace: false });
    const file = join(dataDir, 'procdeck.yaml');
    expect(saved).toMatchObject({ file, added: ['greeter'], started: [] });
    expect(parse(readFileSync(file, 'utf8'))).toMatchObject({ jobs: { greeter: { command: 'echo "in $PWD with $GREETING"', cwd: work, env: { GREETING: 'hi' }, group: 'tools', nice: 5 } } });
    expect(declaredNamed(engine, 'greeter')).toMatchObject({ state: 'skipped', runCount: 0 });

    const again = await engine.services.saveDefinition({ name: 'greeter-auto', spec: engine.jobs.get(clicked.id).spec, autostart: true, replace: false });
    expect(again).toMatchObject({ added: ['greeter-auto'], started: ['greeter-auto'], unchanged: ['greeter'] });
    const auto = declaredNamed(engine, 'greeter-auto')!;
    await waitForState(engine, auto.id, 'exited');
    expect(engine.jobs.tail(auto.id).chunks.map((c) => c.text).join('')).toContain(`in ${work} with hi`);
  });

  it('adds to the file in force keeping its comments and mode; a taken name is refused unless replace; nothing else is written', async () => {
    const dir = tempDir('pdk-save-config-');
    const file = join(dir, 'procdeck.yaml');
    const original = '# our services\njobs:\n  web:   # the site\n    command: [sleep, "300"]\n';
    writeFileSync(file, original);
    chmodSync(file, 0o644);
    const engine = openEngine();
    await engine.services.load(file);
    const spec = { command: { kind: 'argv' as const, program: 'sleep', args: ['1'] }, cwd: dir };

    await engine.services.saveDefinition({ name: 'worker', spec: { ...engine.jobs.get(declaredNamed(engine, 'web')!.id).spec, ...spec }, autostart: false, replace: false });
    const text = readFileSync(file, 'utf8');
    // Its comments stay (the yaml package puts one that followed a key on its own line).
    expect(text).toMatch(/^# our services\njobs:\n {2}web:\n {4}# the site\n {4}command: \[sleep, "300"\]\n {2}worker:\n {4}command: \[sleep, "1"\]\n/);
    expect(parse(text).jobs.worker).toMatchObject({ command: ['sleep', '1'] });
    expect(statSync(file).mode & 0o777).toBe(0o644);

    const taken = engine.services.saveDefinition({ name: 'web', spec: engine.jobs.get(declaredNamed(engine, 'worker')!.id).spec, autostart: false, replace: false });
    await expect(taken).rejects.toThrow(`web is already defined in ${file}: choose another name, or replace that definition`);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const replaced = await engine.services.saveDefinition({ name: 'web', spec: engine.jobs.get(declaredNamed(engine, 'worker')!.id).spec, autostart: false, replace: true });
    expect(replaced.changed.map((c) => c.name)).toEqual(['web']);
    expect(parse(readFileSync(file, 'utf8')).jobs.web).toMatchObject({ command: ['sleep', '1'] });
  });

  it('replacing a definition (an edit) keeps what only the file says: dependsOn, probes, schedule, watch, labels, env file, and the comments of unchanged keys', async () => {
    const dir = tempDir('pdk-save-edit-');
    const file = join(dir, 'procdeck.yaml');
    writeFileSync(join(dir, 'web.env'), 'FROM_FILE=one\nEDITED=before\n');
    const original = [
      'jobs:',
      '  db:',
      '    command: [sleep, "300"]',
      '  web:',
      '    # what it serves',
      '    command: [sleep, "300"]',
      '    envFile: ./web.env',
      '    dependsOn: { db: started }',
      '    readiness: { tcp: "127.0.0.1:1", interval: 5s }   # never ready: nothing here needs it',
      '    liveness: { exec: "true" }',
      '    schedule: "0 0 1 1 *"',
      '    watch: ./site',
      '    labels: { team: web }',
      '    group: site   # its pool group',
      '',
    ].join('\n');
    writeFileSync(file, original);
    const engine = openEngine();
    await engine.services.load(file);
    const web = engine.jobs.get(declaredNamed(engine, 'web')!.id);
    // The spec in force, as the launch form sends it back edited: its command changed, one variable of the env file changed.
    const spec = { ...web.spec, command: { kind: 'argv' as const, program: 'sleep', args: ['301'] }, env: { ...web.spec.env, set: { ...web.spec.env.set, EDITED: 'after' } }, dependsOn: [] };

    const saved = await engine.services.saveDefinition({ name: 'web', spec, autostart: false, replace: true });
    expect(saved.changed).toEqual([{ name: 'web', fields: ['command', 'env'], needsRestart: true }]);
    const text = readFileSync(file, 'utf8');
    const definition = parse(text).jobs.web;
    expect(definition).toEqual({
      command: ['sleep', '301'],
      envFile: './web.env',
      env: { EDITED: 'after' },
      dependsOn: { db: 'started' },
      readiness: { tcp: '127.0.0.1:1', interval: '5s' },
      liveness: { exec: 'true' },
      schedule: '0 0 1 1 *',
      watch: './site',
      labels: { team: 'web' },
      group: 'site',
    });
    // Unchanged keys keep their place and comments; the rest of the file is as it was.
    expect(text).toContain('  web:\n    # what it serves\n    command: [sleep, "301"]\n    envFile: ./web.env\n    dependsOn: {db: started}\n');
    expect(text).toContain('# never ready: nothing here needs it');
    expect(text).toContain('group: site # its pool group');
    expect(text.startsWith('jobs:\n  db:\n    command: [sleep, "300"]\n')).toBe(true);
    expect(engine.jobs.get(web.id).spec.env.set).toMatchObject({ FROM_FILE: 'one', EDITED: 'after' });
  });

  it('refuses what a file cannot say, another file than the one in force, and a dependency on a job id, changing nothing', async () => {
    const dir = tempDir('pdk-save-refuse-');
    const file = join(dir, 'procdeck.yaml');
    writeFileSync(file, 'jobs:\n  web:\n    command: [sleep, "300"]\n');
    const engine = openEngine();
    await engine.services.load(file);
    const spec = engine.jobs.get(declaredNamed(engine, 'web')!.id).spec;
    const before = readFileSync(file, 'utf8');
    // mergeStderr has no key in the file format: saving would run the job differently.
    await expect(engine.services.saveDefinition({ name: 'merged', spec: { ...spec, mergeStderr: true }, autostart: false, replace: false })).rejects.toThrow(/a config file cannot say all of this job \(mergeStderr\): nothing was saved/);
    await expect(engine.services.saveDefinition({ name: 'elsewhere', spec, autostart: false, replace: false, path: join(dir, 'other.yaml') })).rejects.toThrow(`the definitions in force come from ${file}`);
    await expect(engine.services.saveDefinition({ name: 'dependant', spec: { ...spec, dependsOn: ['j123'] }, autostart: false, replace: false })).rejects.toThrow(/not on job ids/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(engine.jobs.list().map((job) => job.declared?.name)).toEqual(['web']);
  });
});

describe('a long-form dependency (onUnhealthy) through save, export and diff', () => {
  it('keeps it when another definition is saved, exports it in the long form, and diffs its change as dependsOn', async () => {
    const dir = tempDir('pdk-save-long-');
    const file = join(dir, 'procdeck.yaml');
    const long = '    dependsOn:\n      db: {condition: healthy, onUnhealthy: stop}\n';
    writeFileSync(file, `jobs:\n  db:\n    command: [sleep, "300"]\n    liveness: { tcp: "127.0.0.1:1" }\n  api:\n    command: [sleep, "300"]\n${long}`);
    const engine = openEngine();
    await engine.services.load(file);
    await engine.services.saveDefinition({ name: 'tool', spec: { ...engine.jobs.get(declaredNamed(engine, 'api')!.id).spec, dependsOn: [] }, autostart: false, replace: false });
    expect(readFileSync(file, 'utf8')).toContain(long);
    expect((await engine.services.exportYaml()).yaml).toContain('  api:\n    command: [sleep, "300"]\n    dependsOn:\n      db: {condition: healthy, onUnhealthy: stop}\n');

    writeFileSync(file, readFileSync(file, 'utf8').replace('onUnhealthy: stop', 'onUnhealthy: tell'));
    expect((await engine.services.diff(file)).changed).toEqual([{ name: 'api', fields: ['dependsOn'], needsRestart: false }]);
    await engine.services.apply(file);
    expect((await engine.services.exportYaml()).yaml).toContain('    dependsOn:\n      db: healthy\n');
  });
});

describe('config.setAutostart: a definition marked to start with Procdeck', () => {
  it('sets and clears autostart in the file in force, keeping the rest; the snapshot says so; an unknown name is refused', async () => {
    const dir = tempDir('pdk-autostart-');
    const file = join(dir, 'procdeck.yaml');
    writeFileSync(file, '# kept\njobs:\n  web:\n    command: [sleep, "300"]\n');
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    await engine.services.load(file);
    expect(declaredNamed(engine, 'web')).toMatchObject({ state: 'skipped', declared: { autostart: false } });

    const on = await engine.services.setAutostart('web', true);
    expect(on.changed).toEqual([{ name: 'web', fields: ['autostart'], needsRestart: false }]);
    expect(readFileSync(file, 'utf8')).toBe('# kept\njobs:\n  web:\n    command: [sleep, "300"]\n    autostart: true\n');
    expect(declaredNamed(engine, 'web')).toMatchObject({ declared: { autostart: true }, runCount: 0 });

    // It counts from the next start: a reopened engine starts it.
    await closeEngines();
    const reopened = openEngine({ dataDir });
    await reopened.services.load(file);
    await waitForState(reopened, declaredNamed(reopened, 'web')!.id, 'running');

    await reopened.services.setAutostart('web', false);
    expect(readFileSync(file, 'utf8')).toBe('# kept\njobs:\n  web:\n    command: [sleep, "300"]\n');
    await expect(reopened.services.setAutostart('nope', true)).rejects.toThrow(`${file} has no definition named nope`);
    expect(readFileSync(file, 'utf8')).toBe('# kept\njobs:\n  web:\n    command: [sleep, "300"]\n');
  });
});
