import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigFileChange } from '../../../shared/configCommands';
import type { Engine } from '../../../electron/engine/engine';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

const jobNamed = (engine: Engine, name: string) => engine.jobs.list().find((j) => j.declared?.name === name);

/** Every config.changed event the engine pushes, in order. */
function recordChanges(engine: Engine): ConfigFileChange[] {
  const changes: ConfigFileChange[] = [];
  engine.events.on('config.changed', (change) => changes.push(change));
  return changes;
}

/** As most editors save: a new file renamed over the old one (a new inode). */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.swp`, text);
  renameSync(`${path}.swp`, path);
}

const FIRST = `jobs:
  web:
    command: [sleep, "300"]
    autostart: true
    envFile: ./web.env
  worker:
    command: [sleep, "301"]
    autostart: true
`;

describe('the config file in force, edited on disk', () => {
  it('sees an edit made at once after the file was applied, before the watch had its first scan', async () => {
    const engine = openEngine();
    const dir = tempDir('pdk-config-watch-early-');
    const path = join(dir, 'procdeck.yaml');
    writeFileSync(path, 'jobs:\n  web:\n    command: [sleep, "300"]\n');
    const changes = recordChanges(engine);
    await engine.services.load(path);
    // No wait for the watch: the operator saves again right away.
    replaceFile(path, 'jobs:\n  web:\n    command: [sleep, "300"]\n  late:\n    command: [sleep, "301"]\n');
    const seen = await waitFor(() => changes.find((c) => c.diff?.added.includes('late')), 'config.changed with the definition added right after applying');
    expect(seen.diff).toMatchObject({ added: ['late'], removed: [], changed: [] });
    expect(jobNamed(engine, 'late')).toBeUndefined(); // told, not applied
  });

  it('pushes the diff (debounced, applied only when asked), then a bad edit\'s errors at line:column, leaving the definitions in force', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const dir = tempDir('pdk-config-watch-');
    const path = join(dir, 'procdeck.yaml');
    writeFileSync(join(dir, 'web.env'), 'PORT=8080\n');
    writeFileSync(path, FIRST);
    await engine.services.load(path);
    const web = await waitForState(engine, jobNamed(engine, 'web')!.id, 'running');
    const worker = await waitForState(engine, jobNamed(engine, 'worker')!.id, 'running');
    await engine.services.watchesReady();
    const changes = recordChanges(engine);

    // Written in place, in two steps as some editors do: one reading of the whole, not of half a file.
    writeFileSync(path, `jobs:\n  web:\n    command: [sleep, "302"]\n`);
    writeFileSync(path, `jobs:\n  web:\n    command: [sleep, "302"]\n    autostart: true\n    envFile: ./web.env\n  cron:\n    command: [sleep, "303"]\n`);
    const edited = await waitFor(() => changes.find((c) => c.diff?.added.includes('cron')), 'config.changed with the added definition');
    expect(edited).toEqual({
      file: path,
      errors: [],
      diff: { file: path, added: ['cron'], removed: ['worker'], changed: [{ name: 'web', fields: ['command'], needsRestart: true }], unchanged: [], warnings: [] },
    });
    expect(changes[0], 'one reading of the burst, not of the half-written file first').toBe(edited);
    expect(engine.services.status()).toEqual({ file: path, change: edited });
    // Nothing applied: the same runs, the removed one still declared, the added one not made.
    expect(engine.jobs.get(web.id)).toMatchObject({ runId: web.runId, state: 'running' });
    expect(engine.jobs.get(worker.id)).toMatchObject({ runId: worker.runId, state: 'running', declared: { file: path, name: 'worker' } });
    expect(jobNamed(engine, 'cron')).toBeUndefined();

    // An env file it names counts as the file: its edit shows as `env`.
    writeFileSync(join(dir, 'web.env'), 'PORT=9090\n');
    const envEdit = await waitFor(() => changes.find((c) => c.diff?.changed.some((d) => d.fields.includes('env'))), 'config.changed naming env');
    expect(envEdit.diff!.changed).toEqual([{ name: 'web', fields: ['command', 'env'], needsRestart: true }]);

    // A bad file, saved by renaming over the old one: its errors, and the definitions in force stay.
    const before = engine.jobs.list();
    replaceFile(path, `jobs:\n  web:\n    command: [sleep, "302"]\n    readyness: { tcp: "127.0.0.1:1" }\n  cron:\n    dependsOn: { nope: started }\n`);
    const bad = await waitFor(() => changes.find((c) => c.errors.length > 0), 'config.changed with errors');
    expect(bad.diff).toBeUndefined();
    expect(bad.errors).toContain(`${path}:4:5: jobs.web.readyness: unknown key "readyness" (did you mean "readiness"?)`);
    expect(bad.errors.some((line) => line.startsWith(`${path}:6:`) && line.includes('"nope"'))).toBe(true);
    expect(engine.jobs.list()).toEqual(before);
    expect(engine.services.status().change).toEqual(bad);

    // Fixed and applied: clients hear that nothing is left to apply.
    replaceFile(path, `jobs:\n  web:\n    command: [sleep, "302"]\n    autostart: true\n    envFile: ./web.env\n`);
    await waitFor(() => changes.at(-1)?.diff?.removed.includes('worker'), 'config.changed after the fix');
    const seen = changes.length;
    const applied = await engine.services.apply(path);
    expect(applied).toMatchObject({ removed: ['worker'], restarted: ['web'] });
    const afterApply = await waitFor(() => changes.slice(seen).find((c) => c.diff !== undefined), 'config.changed once applied');
    expect(afterApply.diff).toMatchObject({ added: [], removed: [], changed: [], unchanged: ['web'] });
    await waitForState(engine, worker.id, 'killed');
  });

  it('another file: its diff says the definitions in force go, and once applied it is the one followed', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const first = join(tempDir('pdk-config-watch-'), 'procdeck.yaml');
    const second = join(tempDir('pdk-config-watch-'), 'procdeck.yaml');
    writeFileSync(first, `jobs:\n  one:\n    command: [sleep, "300"]\n`);
    writeFileSync(second, `jobs:\n  two:\n    command: [sleep, "300"]\n`);
    await engine.services.load(first);
    // Applying another file replaces the one in force: its definitions are said to go.
    expect(await engine.services.diff(second)).toMatchObject({ added: ['two'], removed: ['one'], changed: [] });
    expect((await engine.services.apply(second)).removed).toEqual(['one']);
    await engine.services.watchesReady();
    const changes = recordChanges(engine);
    writeFileSync(first, `jobs:\n  one:\n    command: [sleep, "301"]\n`);
    writeFileSync(second, `jobs:\n  two:\n    command: [sleep, "301"]\n`);
    const change = await waitFor(() => changes[0], 'config.changed');
    expect(change).toMatchObject({ file: second, diff: { changed: [{ name: 'two', fields: ['command'] }] } });
    expect(changes.every((c) => c.file === second)).toBe(true);
  });
});
