import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, MAX_CONFIG_BYTES } from '../../../electron/engine/config/loadConfig';
import { BAD_FILES } from './badFiles';
import { configDir, describeProblems, errorsOf, marked, writeFile } from './configFiles';

/**
 * A bad file is refused whole: every error names the file, the line and column (where the
 * « marks it) and what was wrong, and no definition comes out, not even the good ones.
 */
describe('config file errors', () => {
  for (const testCase of BAD_FILES) {
    it(`${testCase.name}: names the file, line and column`, () => {
      const dir = configDir();
      for (const [name, text] of Object.entries(testCase.files ?? {})) writeFile(dir, name, text);
      const { text, line, column } = marked(testCase.yaml);
      const file = writeFile(dir, 'procdeck.yaml', text);
      const errors = errorsOf(loadConfigFile(file));
      expect(errors, describeProblems(errors)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ kind: testCase.kind, file, line, column, path: testCase.path });
      expect(errors[0]!.message).toMatch(testCase.message);
    });
  }

  it('places a bad line of an envFile in the envFile itself', () => {
    const dir = configDir();
    const envFile = writeFile(dir, 'app.env', 'GOOD=1\n# a comment\n  export BAD LINE\nQUOTED="never closed\n');
    const file = writeFile(dir, 'procdeck.yaml', 'jobs:\n  web:\n    command: x\n    envFile: ./app.env\n');
    const errors = errorsOf(loadConfigFile(file));
    expect(errors.map((e) => [e.kind, e.file, e.line, e.column])).toEqual([
      ['env-file', envFile, 3, 10],
      ['env-file', envFile, 4, 1],
    ]);
    expect(errors[0]!.message).toMatch(/a line is NAME=VALUE.*\(envFile of web, app\.env\)/);
    expect(errors[1]!.message).toMatch(/QUOTED opens a " quote that never closes/);
  });

  it('collects every error of the file, in file order, and gives no definition', () => {
    const dir = configDir();
    const file = writeFile(
      dir,
      'procdeck.yaml',
      [
        'jobs:',
        '  good:',
        '    command: echo fine',
        '  web:',
        '    command: 42',
        '    readyness: { http: "http://127.0.0.1/" }',
        '  worker:',
        '    command: [run]',
        '    schedule: "61 * * * *"',
        '    dependsOn: [wbe]',
        '    liveness: { exec: "true", log: ready }',
        '  cron:',
        '    command: x',
        '    envFile: ./nope.env',
        '    timeout: 2 days',
        '',
      ].join('\n'),
    );
    const errors = errorsOf(loadConfigFile(file));
    expect(errors.map((e) => `${e.line}:${e.column} ${e.kind} ${e.path}`)).toEqual([
      '5:14 wrong-type jobs.web.command',
      '6:5 unknown-key jobs.web.readyness',
      '9:15 bad-cron jobs.worker.schedule',
      '10:17 unknown-dependency jobs.worker.dependsOn[0]',
      '11:15 probe-kinds jobs.worker.liveness',
      '14:14 env-file jobs.cron.envFile',
      '15:14 bad-value jobs.cron.timeout',
    ]);
  });

  it('reports a cycle once, among jobs refused for other keys too', () => {
    const dir = configDir();
    const file = writeFile(dir, 'procdeck.yaml', 'jobs:\n  a:\n    command: x\n    nice: 99\n    dependsOn: [b]\n  b:\n    command: y\n    dependsOn: [a]\n');
    const errors = errorsOf(loadConfigFile(file));
    expect(errors.map((e) => e.kind)).toEqual(['bad-value', 'dependency-cycle']);
    expect(errors[1]!.message).toContain('a → b → a');
  });

  it('warns, refusing nothing, of a working directory not there yet and of "healthy" without a probe', () => {
    const dir = configDir();
    const { text, line, column } = marked('jobs:\n  db: { command: postgres }\n  web:\n    command: x\n    cwd: ./build/out\n    dependsOn:\n      «db: healthy\n');
    const result = loadConfigFile(writeFile(dir, 'procdeck.yaml', text));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.line, w.column, w.path, w.message])).toEqual([
      [5, 10, 'jobs.web.cwd', `cwd ${join(dir, 'build/out')} is not a directory (yet): the job cannot start until it is`],
      [line, column, 'jobs.web.dependsOn.db', 'db has no readiness probe: "healthy" waits only for it to start'],
    ]);
  });

  it('warns that onUnhealthy: stop never stops anything when the dependency has no probe at all', () => {
    const { text, line, column } = marked('jobs:\n  db: { command: postgres }\n  web:\n    command: x\n    dependsOn:\n      db: { condition: healthy, «onUnhealthy: stop }\n');
    const result = loadConfigFile(writeFile(configDir(), 'procdeck.yaml', text));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.line, w.column, w.path, w.message]).at(-1)).toEqual([line, column, 'jobs.web.dependsOn.db.onUnhealthy', 'db has no probe, so it never turns unhealthy: onUnhealthy: stop never stops web']);
  });

  describe('the file itself', () => {
    it('does not exist', () => {
      const file = join(configDir(), 'missing.yaml');
      expect(errorsOf(loadConfigFile(file))).toEqual([{ kind: 'unreadable-file', file, line: 1, column: 1, path: '', message: 'the file cannot be read (ENOENT)' }]);
    });

    it('is a directory', () => {
      const dir = join(configDir(), 'procdeck.yaml');
      mkdirSync(dir);
      expect(errorsOf(loadConfigFile(dir))[0]!.message).toMatch(/is not a regular file/);
    });

    it('is larger than any config file', () => {
      const file = join(configDir(), 'big.yaml');
      writeFileSync(file, `jobs: {}\n#${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
      expect(errorsOf(loadConfigFile(file))[0]!.message).toMatch(/larger than 4 MiB/);
    });

    it('is not UTF-8', () => {
      const file = join(configDir(), 'latin1.yaml');
      writeFileSync(file, Buffer.from('jobs:\n  web:\n    command: echo caf\xe9\n', 'latin1'));
      expect(errorsOf(loadConfigFile(file))[0]!.message).toBe('the file is not UTF-8 text');
    });

    it('is empty, or a list', () => {
      const dir = configDir();
      expect(errorsOf(loadConfigFile(writeFile(dir, 'empty.yaml', '')))[0]!.message).toBe('the file is empty: it needs a jobs: mapping');
      expect(errorsOf(loadConfigFile(writeFile(dir, 'list.yaml', '- web\n')))[0]!.message).toBe('the file must be a mapping with jobs:, not a list');
    });

    it('holds two documents', () => {
      const errors = errorsOf(loadConfigFile(writeFile(configDir(), 'two.yaml', 'jobs: {}\n---\njobs: {}\n')));
      expect(errors[0]).toMatchObject({ kind: 'syntax', line: 2, column: 1 });
    });

    it('expands aliases into a billion laughs', () => {
      const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
      const errors = errorsOf(loadConfigFile(writeFile(configDir(), 'bomb.yaml', `${lines.join('\n')}\njobs: {}\n`)));
      expect(errors[0]!.message).toMatch(/resource exhaustion/);
    });

    it('nests deeper than the parser can follow', () => {
      const errors = errorsOf(loadConfigFile(writeFile(configDir(), 'deep.yaml', `jobs: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`)));
      expect(errors[0]!.kind).toBe('syntax');
    });
  });
});
