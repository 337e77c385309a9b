import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffDefinitions, restartOrder } from '../../../electron/engine/config/diffDefinitions';
import { loadConfigFile } from '../../../electron/engine/config/loadConfig';
import { configDir, EXAMPLE, FIXTURES, jobsOf, writeFile } from './configFiles';

/** The example file copied to a temp dir, edited there as an operator would, and read again. */
function editedExample(edit: (text: string) => string, editEnv?: (text: string) => string) {
  const dir = configDir();
  const envText = readFileSync(join(FIXTURES, 'example.env'), 'utf8');
  writeFile(dir, 'example.env', envText);
  copyFileSync(EXAMPLE, join(dir, 'procdeck.yaml'));
  const before = jobsOf(loadConfigFile(join(dir, 'procdeck.yaml')));
  if (editEnv) writeFile(dir, 'example.env', editEnv(envText));
  const after = jobsOf(loadConfigFile(writeFile(dir, 'procdeck.yaml', edit(readFileSync(EXAMPLE, 'utf8')))));
  return diffDefinitions(before, after);
}

const replace = (from: string, to: string) => (text: string) => {
  if (!text.includes(from)) throw new Error(`the example no longer holds ${JSON.stringify(from)}`);
  return text.replace(from, to);
};

describe('diff of two sets of definitions', () => {
  it('finds nothing between a file and itself', () => {
    const diff = editedExample((text) => `${text}\n# a comment changes nothing\n`);
    expect(diff).toMatchObject({ added: [], removed: [], changed: [] });
    expect(diff.unchanged).toEqual(['web', 'migrate', 'worker', 'backup', 'docs', 'train']);
  });

  it('names the keys that changed, in the file\'s words, and whether a running service must restart', () => {
    const diff = editedExample((text) =>
      [
        replace('    command: python3 -m http.server 8080 --bind 127.0.0.1', '    command: python3 -m http.server 8081 --bind 127.0.0.1'),
        replace('      interval: 500ms\n', '      interval: 1s\n'),
        replace('    nice: 5\n', '    nice: 6\n'),
        replace('    labels: { tier: data }', '    labels: { tier: db }'),
      ].reduce((t, edit) => edit(t), text),
    );
    expect(diff.changed.map(({ name, fields, needsRestart }) => ({ name, fields, needsRestart }))).toEqual([
      { name: 'web', fields: ['command', 'readiness'], needsRestart: true },
      { name: 'migrate', fields: ['labels'], needsRestart: false },
      { name: 'worker', fields: ['nice'], needsRestart: true },
    ]);
    expect(diff.changed[0]!.before.spec.command).toEqual({ kind: 'shell', script: 'python3 -m http.server 8080 --bind 127.0.0.1' });
    expect(diff.changed[0]!.after.spec.command).toEqual({ kind: 'shell', script: 'python3 -m http.server 8081 --bind 127.0.0.1' });
  });

  it('sees a change of onUnhealthy as a change of dependsOn, applied without a restart; tell written out is the short form', () => {
    const stop = '      web: { condition: healthy, onUnhealthy: stop }';
    const diff = editedExample(replace(stop, '      web: healthy'));
    expect(diff.changed.map((c) => [c.name, c.fields, c.needsRestart])).toEqual([['worker', ['dependsOn'], false]]);
    const short = diff.changed[0]!.after;
    expect(short.dependsOn[0]).toEqual({ name: 'web', condition: 'healthy', onUnhealthy: 'tell' });
    const spelledOut = editedExample(replace(stop, '      web: { condition: healthy, onUnhealthy: tell }')).changed[0]!.after;
    expect(spelledOut.dependsOn).toEqual(short.dependsOn);
  });

  it('sees an edit of the env file as a change of env', () => {
    const diff = editedExample((text) => text, replace('LOG_LEVEL=info', 'LOG_LEVEL=debug'));
    expect(diff.changed.map((c) => [c.name, c.fields, c.needsRestart])).toEqual([['web', ['env'], true]]);
  });

  it('lists added definitions in the order to start them, and removed ones', () => {
    const diff = editedExample((text) =>
      replace('  train:\n', '  cache:\n    command: redis-server\n    dependsOn: [db]\n  db:\n    command: postgres\n  train:\n')(text).replace(/ {2}backup:\n(?: {4}.*\n| *#.*\n)*/, ''),
    );
    expect(diff.added.map((job) => job.name)).toEqual(['db', 'cache']);
    expect(diff.removed.map((job) => job.name)).toEqual(['backup']);
  });

  it('restarts the changed running services one by one, dependencies first', () => {
    const diff = editedExample((text) =>
      [
        replace('    nice: 5\n', '    nice: 4\n'), // worker, which depends on web
        replace('      PYTHONUNBUFFERED: "1"', '      PYTHONUNBUFFERED: "0"'), // web
        replace('      debounce: 300ms', '      debounce: 400ms'), // docs: no restart needed
        replace('      partition: gpu', '      partition: cpu'), // train: not running
      ].reduce((t, edit) => edit(t), text),
    );
    expect(diff.changed.map((c) => c.name)).toEqual(['web', 'worker', 'docs', 'train']);
    const running = new Set(['worker', 'web', 'docs']);
    expect(restartOrder(diff, (name) => running.has(name))).toEqual(['web', 'worker']);
  });

  it('orders restarts by the new file when the edit reverses a dependency', () => {
    const dir = configDir();
    const before = jobsOf(loadConfigFile(writeFile(dir, 'a.yaml', 'jobs:\n  a: { command: x, dependsOn: [b] }\n  b: { command: y }\n')));
    const after = jobsOf(loadConfigFile(writeFile(dir, 'b.yaml', 'jobs:\n  a: { command: x2 }\n  b: { command: y2, dependsOn: [a] }\n')));
    const diff = diffDefinitions(before, after);
    expect(diff.changed.map((c) => [c.name, c.fields])).toEqual([
      ['a', ['command', 'dependsOn']],
      ['b', ['command', 'dependsOn']],
    ]);
    expect(restartOrder(diff, () => true)).toEqual(['a', 'b']);
  });
});
