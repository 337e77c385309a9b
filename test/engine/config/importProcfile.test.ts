import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDefinitions } from '../../../electron/engine/config/exportConfig';
import { importProcfile, importProcfileFile } from '../../../electron/engine/config/importProcfile';
import { loadConfigFile } from '../../../electron/engine/config/loadConfig';
import { configDir, errorsOf, FIXTURES, jobsOf, marked, writeFile } from './configFiles';

const HEROKU = join(FIXTURES, 'heroku');

describe('Procfile import', () => {
  it('reads a Heroku Procfile with its conventions: PORT per type, .env, release first, restart always', () => {
    const jobs = jobsOf(importProcfileFile(join(HEROKU, 'Procfile')));
    expect(jobs.map((job) => [job.name, job.spec.command, job.spec.env.set.PORT, job.spec.restart.when, job.autostart, job.dependsOn])).toEqual([
      ['web', { kind: 'shell', script: 'gunicorn app.wsgi --bind 127.0.0.1:$PORT --workers 2' }, '5000', 'always', true, [{ name: 'release', condition: 'succeeded', onUnhealthy: 'tell' }]],
      ['worker', { kind: 'shell', script: 'celery -A app worker --loglevel=info' }, '5100', 'always', true, [{ name: 'release', condition: 'succeeded', onUnhealthy: 'tell' }]],
      ['clock', { kind: 'shell', script: 'python3 clock.py' }, '5200', 'always', true, [{ name: 'release', condition: 'succeeded', onUnhealthy: 'tell' }]],
      ['release', { kind: 'shell', script: 'python3 manage.py migrate --noinput' }, '5300', 'never', true, []],
    ]);
    for (const job of jobs) {
      expect(job.spec.cwd).toBe(HEROKU);
      expect(job.spec.env.set).toMatchObject({ DJANGO_SETTINGS_MODULE: 'app.settings', SECRET_KEY: 'not-a-secret' });
      expect(job.envFile).toEqual({ path: join(HEROKU, '.env'), names: ['DJANGO_SETTINGS_MODULE', 'SECRET_KEY'] });
    }
  });

  it('exports what it imported as a config file that reads back the same', () => {
    const dir = configDir();
    writeFile(dir, '.env', 'A=1\n');
    const procfile = writeFile(dir, 'Procfile', 'web: python3 -m http.server $PORT\nworker: python3 worker.py\n');
    const jobs = jobsOf(importProcfileFile(procfile, { basePort: 8000 }));
    expect(jobs.map((job) => job.spec.env.set.PORT)).toEqual(['8000', '8100']);
    const exported = writeFile(dir, 'procdeck.yaml', exportDefinitions(jobs, { baseDir: dir }));
    expect(jobsOf(loadConfigFile(exported))).toEqual(jobs);
  });

  it('skips comments and blank lines; without a .env or a release type, neither is assumed', () => {
    const dir = configDir();
    const jobs = jobsOf(importProcfile('# comment\n\n  web:python3 app.py  \n\r\n', join(dir, 'Procfile')));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: 'web', spec: { command: { kind: 'shell', script: 'python3 app.py' } }, dependsOn: [] });
    expect(jobs[0]!.envFile).toBeUndefined();
  });

  const bad = [
    { name: 'a line without a colon', text: 'web: ok\n«web python3 app.py\n', kind: 'syntax', message: /a Procfile line is "name: command"/ },
    { name: 'a name with a dot', text: '«web.1: x\n', kind: 'syntax', message: /name: letters, digits, "_", "-"/ },
    { name: 'a type without a command', text: 'web:«\n', kind: 'missing-key', message: /web has no command/ },
    { name: 'a duplicate type', text: 'web: a\nworker: b\n«web: c\n', kind: 'duplicate-name', message: /duplicate process type "web" \(first at line 1\)/ },
    { name: 'a name Procdeck cannot take', text: 'ok: x\n«_private: y\n', kind: 'bad-value', message: /a job name uses letters, digits/ },
  ];
  for (const testCase of bad) {
    it(`refuses ${testCase.name}, with its line and column, and imports nothing`, () => {
      const { text, line, column } = marked(testCase.text);
      const file = writeFile(configDir(), 'Procfile', text);
      const errors = errorsOf(importProcfileFile(file));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ kind: testCase.kind, file, line, column });
      expect(errors[0]!.message).toMatch(testCase.message);
    });
  }

  it('places a bad line of the .env in the .env', () => {
    const dir = configDir();
    const env = writeFile(dir, '.env', 'OK=1\nnot a line\n');
    const errors = errorsOf(importProcfileFile(writeFile(dir, 'Procfile', 'web: x\n')));
    expect(errors).toMatchObject([{ kind: 'env-file', file: env, line: 2, column: 1 }]);
  });
});
