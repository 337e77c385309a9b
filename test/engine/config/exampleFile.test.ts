import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../electron/engine/config/loadConfig';
import { dependencyOrder } from '../../../electron/engine/config/dependencies';
import { DEFAULT_RESTART_POLICY } from '../../../shared/scheduling';
import { configDir, EXAMPLE, FIXTURES, jobsOf, writeFile } from './configFiles';


describe('the example config file', () => {
  const result = loadConfigFile(EXAMPLE);
  const jobs = jobsOf(result);
  const job = (name: string) => jobs.find((j) => j.name === name)!;

  it('declares its jobs in file order, each where it was written', () => {
    expect(jobs.map((j) => j.name)).toEqual(['web', 'migrate', 'worker', 'backup', 'docs', 'train']);
    expect(result.ok && result.declaredAt.worker).toEqual({ file: EXAMPLE, line: 43, column: 3 });
    expect(result.warnings).toEqual([]);
  });

  it('reads a web service: shell command, paths against the file, envFile under env, merged defaults, probes', () => {
    expect(job('web')).toEqual({
      name: 'web',
      spec: {
        name: 'web',
        command: { kind: 'shell', script: 'python3 -m http.server 8080 --bind 127.0.0.1' },
        cwd: join(FIXTURES, 'site'),
        env: {
          mode: 'inherit',
          allow: ['PATH', 'HOME', 'LANG', 'USER', 'TERM'],
          // The env file's values, then env's own (PORT from env wins over the file's 9999).
          set: { DATABASE_URL: 'postgres://app@127.0.0.1:5432/app', LOG_LEVEL: 'info', GREETING: 'hello\tworld', PORT: '8080', PYTHONUNBUFFERED: '1' },
        },
        stdin: 'pipe',
        graceMs: 5000,
        group: 'services',
        mergeStderr: false,
        priority: 0,
        dependsOn: [],
        restart: { ...DEFAULT_RESTART_POLICY, when: 'always' },
        affinity: { mode: 'none' },
        alerts: [],
      },
      autostart: true,
      dependsOn: [],
      readiness: {
        check: { kind: 'http', url: 'http://127.0.0.1:8080/', status: { min: 200, max: 299 }, bodyMatch: '<h1>ok' },
        initialDelayMs: 0,
        intervalMs: 500,
        timeoutMs: 2000,
        successThreshold: 1,
        failureThreshold: 3,
      },
      liveness: { check: { kind: 'tcp', host: '127.0.0.1', port: 8080 }, initialDelayMs: 5000, intervalMs: 10_000, timeoutMs: 1000, successThreshold: 1, failureThreshold: 3 },
      labels: { team: 'platform', tier: 'frontend' },
      envFile: { path: join(FIXTURES, 'example.env'), names: ['DATABASE_URL', 'LOG_LEVEL', 'GREETING'] },
    });
  });

  it('reads a worker: argv, dependencies with conditions, restart with backoff, cores, isolation limits, alerts', () => {
    const worker = job('worker');
    expect(worker.spec.command).toEqual({ kind: 'argv', program: 'python3', args: ['-u', 'worker.py', '--queue', 'default', '--concurrency', '4'] });
    expect(worker.spec.cwd).toBe(FIXTURES);
    expect(worker.spec.env).toEqual({ mode: 'clean', allow: ['PATH', 'HOME', 'LANG'], set: { QUEUE_URL: 'http://127.0.0.1:8080/queue' } });
    expect(worker.dependsOn).toEqual([
      { name: 'web', condition: 'healthy', onUnhealthy: 'stop' },
      { name: 'migrate', condition: 'succeeded', onUnhealthy: 'tell' },
    ]);
    // Dependencies are by name with a condition; the spec's own dependsOn (ids that must exit 0) stays for the engine.
    expect(worker.spec.dependsOn).toEqual([]);
    expect(worker.spec.restart).toEqual({ when: 'on-failure', initialDelayMs: 2000, factor: 3, maxDelayMs: 120_000, maxRestarts: 10, windowMs: 1_800_000, minUptimeMs: 10_000 });
    expect(worker.spec).toMatchObject({ affinity: { mode: 'fixed', cores: [0, 1] }, nice: 5, priority: 10, graceMs: 20_000, stdin: 'closed' });
    expect(worker.spec.isolation).toEqual({
      level: 'basic',
      overrides: { memoryBytes: 512 * 1024 * 1024, cpuSeconds: 3600, openFiles: 4096, processes: null, wallClockMs: 86_400_000, cleanEnv: false },
    });
    expect(worker.spec.alerts).toEqual([
      { id: 'cpu-1', kind: 'cpu', percent: 180, forSeconds: 30, action: 'notify' },
      { id: 'memory-1', kind: 'memory', bytes: 1024 ** 3, forSeconds: 10, action: 'restart' },
      { id: 'runtime-1', kind: 'runtime', seconds: 43_200, action: 'stop' },
      { id: 'worker-leak', kind: 'leak', action: 'notify' },
    ]);
    expect(worker.readiness?.check).toEqual({ kind: 'log', pattern: 'worker ready' });
    expect(worker.liveness).toMatchObject({ check: { kind: 'exec', command: { kind: 'shell', script: 'test -e /proc/self' } }, intervalMs: 30_000, timeoutMs: 5000 });
  });

  it('reads a schedule, a watch, a one-shot and a cluster job', () => {
    expect(job('backup').schedule).toEqual({ cron: '30 2 * * *', timezone: 'Europe/Paris', overlap: 'skip', missed: 'run-once' });
    expect(job('backup').spec).toMatchObject({ affinity: { mode: 'least-loaded' }, isolation: { level: 'enhanced', overrides: {} }, group: 'maintenance' });
    expect(job('docs').watch).toEqual({ paths: [join(FIXTURES, 'site')], debounceMs: 300, ignore: ['**/*.swp', '**/.git/**'] });
    expect(job('docs').spec.affinity).toEqual({ mode: 'round-robin', cores: [1, 0] });
    expect(job('migrate').spec).toMatchObject({ command: { kind: 'argv', program: 'python3', args: ['-c', "print('migrated')"] }, timeoutMs: 120_000, restart: { when: 'never' } });
    expect(job('train').spec.where).toEqual({ kind: 'slurm', partition: 'gpu', cpus: 8, memoryBytes: 16 * 1024 ** 3, timeLimitMs: 4 * 3_600_000, nodes: 1 });
    expect(job('train').spec.runAs).toEqual({ uid: 'nobody', gid: 'nogroup' });
  });

  it('starts dependencies first, otherwise in file order', () => {
    expect(dependencyOrder(jobs)).toEqual(['web', 'migrate', 'worker', 'backup', 'docs', 'train']);
  });
});

describe('operator shorthands', () => {
  it('reads the short forms each key takes', () => {
    const dir = configDir();
    const file = writeFile(
      dir,
      'procdeck.yaml',
      [
        'jobs:',
        '  a:',
        '    command: [sleep, 10]',
        '    cwd: ~/projects',
        '    dependsOn: [b, b]',
        '    restart: { backoff: 2m }',
        '    affinity: 3',
        '    runAs: 1000',
        '    inheritEnv: false',
        '    watch: ./src',
        '    schedule: "@hourly"',
        '    where: slurm',
        '    labels: { replicas: 2, public: true }',
        '    env: { DEBUG: true, EMPTY: "" }',
        '  b:',
        '    command: x',
        '    affinity: [0, "2-3"]',
        '    isolation: maximum',
        '    alerts: [{ cpu: 50 }, { cpu: 75%, for: 1m30s }]',
        '    readiness: { http: "https://[::1]:8443/health", status: 204 }',
        '    liveness: { tcp: "[::1]:8443", exec: [true] }',
        '',
      ].join('\n'),
    );
    const result = loadConfigFile(file);
    // One mistake to be sure the rest were read: a probe of two kinds.
    expect(result.ok).toBe(false);
    const fixed = writeFile(dir, 'procdeck.yaml', readFileSync(file, 'utf8').replace(', exec: [true]', ''));
    const [a, b] = jobsOf(loadConfigFile(fixed));
    expect(a!.spec.command).toEqual({ kind: 'argv', program: 'sleep', args: ['10'] });
    expect(a!.spec.cwd).toBe(join(homedir(), 'projects'));
    expect(a!.dependsOn).toEqual([{ name: 'b', condition: 'started', onUnhealthy: 'tell' }]);
    // A first delay above the default ceiling lifts the ceiling with it.
    expect(a!.spec.restart).toMatchObject({ when: 'never', initialDelayMs: 120_000, maxDelayMs: 120_000 });
    expect(a!.spec).toMatchObject({ affinity: { mode: 'fixed', cores: [3] }, runAs: { uid: 1000 }, env: { mode: 'clean', allow: ['PATH', 'HOME', 'LANG', 'USER', 'TERM'], set: { DEBUG: 'true', EMPTY: '' } } });
    expect(a!.watch).toEqual({ paths: [join(dir, 'src')], debounceMs: 500, ignore: [] });
    expect(a!.schedule).toEqual({ cron: '@hourly', overlap: 'skip', missed: 'skip' });
    expect(a!.spec.where).toEqual({ kind: 'slurm' });
    expect(a!.labels).toEqual({ replicas: '2', public: 'true' });
    expect(b!.spec.affinity).toEqual({ mode: 'fixed', cores: [0, 2, 3] });
    expect(b!.spec.isolation).toEqual({ level: 'maximum', overrides: {} });
    expect(b!.spec.alerts.map((rule) => rule.kind === 'cpu' && [rule.id, rule.percent, rule.forSeconds])).toEqual([
      ['cpu-1', 50, 0],
      ['cpu-2', 75, 90],
    ]);
    expect(b!.readiness?.check).toEqual({ kind: 'http', url: 'https://[::1]:8443/health', status: { min: 204, max: 204 } });
    expect(b!.liveness?.check).toEqual({ kind: 'tcp', host: '::1', port: 8443 });
  });

  it('accepts an empty jobs mapping (a file that removes every definition)', () => {
    expect(jobsOf(loadConfigFile(writeFile(configDir(), 'procdeck.yaml', 'version: 1\njobs: {}\n')))).toEqual([]);
  });
});
