import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDefinitions } from '../../../electron/engine/config/exportConfig';
import { importProcessComposeFile } from '../../../electron/engine/config/importProcessCompose';
import { loadConfigFile } from '../../../electron/engine/config/loadConfig';
import { configDir, errorsOf, FIXTURES, jobsOf, marked, writeFile } from './configFiles';

const COMPOSE = join(FIXTURES, 'compose');
const FILE = join(COMPOSE, 'process-compose.yaml');

describe('process-compose import', () => {
  const result = importProcessComposeFile(FILE);
  const jobs = jobsOf(result);
  const job = (name: string) => jobs.find((j) => j.name === name)!;

  it('reads every process, in file order', () => {
    expect(jobs.map((j) => j.name)).toEqual(['postgres', 'migrate', 'api', 'worker', 'docs']);
  });

  it('translates command, working_dir, environment (list and mapping, global first), disabled', () => {
    expect(job('postgres').spec).toMatchObject({ command: { kind: 'shell', script: 'postgres -D ./data -k /tmp' }, cwd: join(COMPOSE, 'db') });
    expect(job('api').spec.env.set).toEqual({ APP_ENV: 'development', PORT: '8000', DATABASE_URL: 'postgresql:///app?host=/tmp' });
    expect(job('worker').spec.env.set).toEqual({ APP_ENV: 'development', QUEUE: 'default' });
    expect(jobs.map((j) => [j.name, j.autostart])).toEqual([
      ['postgres', true],
      ['migrate', true],
      ['api', true],
      ['worker', true],
      ['docs', false],
    ]);
  });

  it('translates depends_on conditions', () => {
    expect(jobs.map((j) => [j.name, j.dependsOn])).toEqual([
      ['postgres', []],
      ['migrate', [{ name: 'postgres', condition: 'healthy', onUnhealthy: 'tell' }]],
      ['api', [{ name: 'migrate', condition: 'succeeded', onUnhealthy: 'tell' }]],
      ['worker', [{ name: 'api', condition: 'started', onUnhealthy: 'tell' }]],
      ['docs', [{ name: 'api', condition: 'succeeded', onUnhealthy: 'tell' }]],
    ]);
  });

  it('translates exec and http_get probes with their timings, and ready_log_line', () => {
    expect(job('postgres').readiness).toEqual({
      check: { kind: 'exec', command: { kind: 'shell', script: 'pg_isready -h /tmp' } },
      initialDelayMs: 2000,
      intervalMs: 5000,
      timeoutMs: 3000,
      successThreshold: 1,
      failureThreshold: 10,
    });
    expect(job('api').readiness).toMatchObject({ check: { kind: 'http', url: 'http://127.0.0.1:8000/health', status: { min: 200, max: 399 } }, intervalMs: 2000 });
    expect(job('api').liveness).toMatchObject({ check: { kind: 'http', url: 'http://127.0.0.1:8000/live' }, initialDelayMs: 10_000, intervalMs: 15_000, failureThreshold: 3 });
    const check = job('worker').readiness!.check;
    const pattern = check.kind === 'log' ? check.pattern : '';
    expect(new RegExp(pattern).test('12:00 worker ready (pid 42)')).toBe(true);
    expect(new RegExp(pattern).test('worker ready pid')).toBe(false);
  });

  it('translates availability: restart, a fixed backoff, max_restarts; shutdown.timeout_seconds; description', () => {
    expect(job('postgres').spec.restart).toMatchObject({ when: 'always', initialDelayMs: 2000, factor: 1, maxDelayMs: 2000 });
    expect(job('api').spec.restart).toMatchObject({ when: 'on-failure', initialDelayMs: 5000, factor: 1, maxDelayMs: 5000, maxRestarts: 3, windowMs: 7 * 86_400_000 });
    expect(job('migrate').spec.restart.when).toBe('never');
    expect(job('worker').spec.restart.when).toBe('always');
    expect(job('postgres').spec.graceMs).toBe(20_000);
    expect(job('api').labels).toEqual({ description: 'The public API' });
  });

  it('reports every key it does not understand, and every approximation, with line and column', () => {
    expect(result.warnings.map((w) => `${w.line}:${w.column} ${w.path}`)).toEqual([
      '2:1 log_location',
      '3:1 log_level',
      '11:18 processes.postgres.working_dir',
      '24:7 processes.postgres.shutdown.signal',
      '33:7 processes.migrate.availability.restart',
      '68:5 processes.worker.is_daemon',
      '69:5 processes.worker.replicas',
      '82:9 processes.docs.depends_on.api.condition',
    ]);
    expect(result.warnings.every((w) => w.file === FILE)).toBe(true);
    expect(result.warnings[2]!.message).toMatch(/db is not a directory \(yet\)/);
    expect(result.warnings[4]!.message).toMatch(/exit_on_failure is imported as no/);
    expect(result.warnings[7]!.message).toMatch(/process_completed \(any exit code\) has no Procdeck equivalent: imported as succeeded/);
  });

  it('suggests the key meant for a misspelt one', () => {
    const file = writeFile(configDir(), 'process-compose.yaml', 'processes:\n  a:\n    command: x\n    workign_dir: /tmp\n');
    expect(importProcessComposeFile(file).warnings[0]!.message).toMatch(/"workign_dir" in process a .*\(did you mean "working_dir"\?\)/);
  });

  it('exports what it imported as a config file that reads back the same', () => {
    // Written for another directory, the paths under the compose file's stay absolute.
    const dir = configDir();
    const again = jobsOf(loadConfigFile(writeFile(dir, 'procdeck.yaml', exportDefinitions(jobs, { baseDir: dir }))));
    expect(again).toEqual(jobs);
  });

  const bad = [
    { name: 'an unknown restart policy', yaml: 'processes:\n  a:\n    command: x\n    availability:\n      restart: «sometimes\n', message: /restart is one of no, on_failure, always, exit_on_failure/ },
    { name: 'an unknown condition', yaml: 'processes:\n  a: { command: x }\n  b:\n    command: y\n    depends_on:\n      a:\n        condition: «process_healty\n', message: /did you mean "process_healthy"/ },
    { name: 'an environment entry without =', yaml: 'processes:\n  a:\n    command: x\n    environment:\n      - «JUST_A_NAME\n', message: /an environment entry is NAME=value/ },
    { name: 'a dependency on no process', yaml: 'processes:\n  a:\n    command: x\n    depends_on:\n      «b: { condition: process_started }\n', message: /depends on "b", which this file does not define/ },
    { name: 'a probe of two kinds', yaml: 'processes:\n  a:\n    command: x\n    «readiness_probe:\n      exec: { command: "true" }\n      http_get: { port: 80 }\n', message: /probe has http and exec|probe has exec and http/ },
    { name: 'a probe time that is no number', yaml: 'processes:\n  a:\n    command: x\n    liveness_probe:\n      exec: { command: "true" }\n      period_seconds: «often\n', message: /a number of seconds, not "often"/ },
    { name: 'a process without a command', yaml: 'processes:\n  «a:\n    working_dir: /tmp\n', message: /command is required/ },
    { name: 'a cycle', yaml: 'processes:\n  a:\n    command: x\n    depends_on:\n      «b: {}\n  b:\n    command: y\n    depends_on: { a: {} }\n', message: /dependency cycle: a → b → a/ },
  ];
  for (const testCase of bad) {
    it(`refuses ${testCase.name}, with its line and column, and imports nothing`, () => {
      const { text, line, column } = marked(testCase.yaml);
      const file = writeFile(configDir(), 'process-compose.yaml', text);
      const errors = errorsOf(importProcessComposeFile(file));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file, line, column });
      expect(errors[0]!.message).toMatch(testCase.message);
    });
  }
});
