import { cpSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDefinitions } from '../../../electron/engine/config/exportConfig';
import { toJobName } from '../../../shared/config/jobName';
import { loadConfigFile } from '../../../electron/engine/config/loadConfig';
import { declaredJobSchema, type DeclaredJob, type DeclaredJobInput } from '../../../shared/config/declaredJob';
import { configDir, EXAMPLE, FIXTURES, jobsOf, writeFile } from './configFiles';

/** Export → parse gives the same definitions: the file format can say everything a definition holds. */
function roundTrip(jobs: DeclaredJob[], dir = configDir()): { text: string; again: DeclaredJob[] } {
  const text = exportDefinitions(jobs, { baseDir: dir, header: 'Procdeck jobs, exported' });
  return { text, again: jobsOf(loadConfigFile(writeFile(dir, 'procdeck.yaml', text))) };
}

/** A definition with every field of the spec and of the service parts set to something other than its default. */
function everyField(dir: string, name: string, overrides: Partial<DeclaredJobInput> = {}): DeclaredJob {
  return declaredJobSchema.parse({
    name,
    spec: {
      name,
      command: { kind: 'argv', program: '/usr/bin/env', args: ['python3', '-c', 'print("a: b # c")', '', '--flag=yes', 'no', '10', 'null', '~'] },
      cwd: join(dir, 'work', 'dir'),
      env: { mode: 'clean', allow: ['PATH', 'TZ'], set: { A: 'one', EMPTY: '', MULTILINE: 'x\ny', QUOTE: '"\'', TRUE: 'true', NUM: '8080' } },
      stdin: 'closed',
      timeoutMs: 5_400_000,
      graceMs: 1500,
      group: 'batch.jobs-1',
      priority: -7,
      restart: { when: 'on-failure', initialDelayMs: 250, factor: 1.5, maxDelayMs: 90_000, maxRestarts: 0, windowMs: 3_600_000, minUptimeMs: 0 },
      affinity: { mode: 'round-robin', cores: [3, 1, 2] },
      nice: -5,
      isolation: { level: 'enhanced', overrides: { memoryBytes: 1536 * 1024 * 1024, cpuSeconds: 90, openFiles: 256, processes: null, wallClockMs: null, cleanEnv: true, cwd: join(dir, 'jail') } },
      runAs: { uid: 1000, gid: 'staff' },
      alerts: [
        { id: 'cpu-1', kind: 'cpu', percent: 95.5, forSeconds: 1.5, action: 'notify' },
        { id: 'ram', kind: 'memory', bytes: 123_456_789, forSeconds: 0, action: 'stop' },
        { id: 'runtime-1', kind: 'runtime', seconds: 0.25, action: 'restart' },
        { id: 'leak-1', kind: 'leak', action: 'notify' },
      ],
      where: { kind: 'slurm', partition: 'long', cpus: 16, memoryBytes: 64 * 1024 ** 3, timeLimitMs: 36 * 3_600_000, nodes: 2 },
    },
    autostart: true,
    dependsOn: [
      { name: 'db', condition: 'healthy', onUnhealthy: 'stop' },
      { name: 'init', condition: 'succeeded' },
      { name: 'cache', condition: 'started' },
    ],
    readiness: { check: { kind: 'http', url: 'https://127.0.0.1:8443/ready?x=1', status: { min: 200, max: 204 }, bodyMatch: '^ok$' }, initialDelayMs: 250, intervalMs: 750, timeoutMs: 300, successThreshold: 2, failureThreshold: 7 },
    liveness: { check: { kind: 'exec', command: { kind: 'argv', program: 'pg_isready', args: ['-h', '/tmp'] } }, intervalMs: 60_000 },
    schedule: { cron: '*/15 * * * * *', timezone: 'America/New_York', overlap: 'queue', missed: 'run-once' },
    watch: { paths: [join(dir, 'src'), '/etc/app.conf'], debounceMs: 1200, ignore: ['**/*.tmp'] },
    labels: { team: 'data', 'app.kubernetes.io/name': 'etl', note: 'contains: colons #and hashes' },
    ...overrides,
  });
}

describe('export to YAML', () => {
  it('round-trips the example file', () => {
    // A copy of the fixtures, so the exported file is written beside the example's own paths.
    const dir = configDir();
    cpSync(FIXTURES, dir, { recursive: true });
    const jobs = jobsOf(loadConfigFile(join(dir, basename(EXAMPLE))));
    const { text, again } = roundTrip(jobs, dir);
    expect(again).toEqual(jobs);
    // Paths under the file's directory are written relative to it, the env file by name.
    expect(text).toContain('cwd: ./site');
    expect(text).toContain('envFile: ./example.env');
    expect(text).not.toContain('DATABASE_URL');
  });

  it('round-trips definitions with every field set, and each kind of probe', () => {
    const dir = configDir();
    const jobs = [
      everyField(dir, 'all'),
      everyField(dir, 'tcp', { readiness: { check: { kind: 'tcp', host: '::1', port: 5432 } }, liveness: { check: { kind: 'log', pattern: 'listening on \\[::1\\]:\\d+' } }, dependsOn: [] }),
      everyField(dir, 'shell', {
        spec: { name: 'shell', cwd: dir, command: { kind: 'shell', script: 'echo "$HOME" | tee out.log # not a comment to YAML\n  second line' }, affinity: { mode: 'least-loaded', cores: [0, 1] }, isolation: { level: 'none', overrides: {} }, where: { kind: 'slurm' } },
        dependsOn: [],
      }),
      ...['db', 'init', 'cache'].map((name) => declaredJobSchema.parse({ name, spec: { name, command: { kind: 'shell', script: 'true' }, cwd: dir } })),
    ];
    const { text, again } = roundTrip(jobs, dir);
    expect(again).toEqual(jobs);
    // onUnhealthy other than its default takes the long form; the others stay short.
    expect(text).toContain('dependsOn:\n      db: {condition: healthy, onUnhealthy: stop}\n      init: succeeded\n      cache: started\n');
    if (process.env.SHOW_EXPORT) console.log(text);
  });

  it('writes only what differs from the defaults', () => {
    const dir = configDir();
    const [job] = jobsOf(loadConfigFile(writeFile(dir, 'in.yaml', 'jobs:\n  web:\n    command: [python3, -m, http.server]\n')));
    expect(exportDefinitions([job!], { baseDir: dir })).toBe('version: 1\n\njobs:\n  web:\n    command: [python3, -m, http.server]\n');
  });

  it('exports a job started by clicking: no working directory is the home directory, written as ~', () => {
    const dir = configDir();
    const clicked = declaredJobSchema.parse({ name: 'adhoc', spec: { name: 'ad hoc', command: { kind: 'shell', script: 'uptime' } } });
    const text = exportDefinitions([clicked], { baseDir: dir });
    expect(text).toContain('cwd: "~"');
    const [again] = jobsOf(loadConfigFile(writeFile(dir, 'procdeck.yaml', text)));
    expect(again!.spec.cwd).toBe(homedir());
  });

  it('refuses a name the file cannot hold, and two of one name', () => {
    const job = (name: string): DeclaredJob => ({ ...declaredJobSchema.parse({ name: 'x', spec: { command: { kind: 'shell', script: 'true' } } }), name });
    expect(() => exportDefinitions([job('my job')])).toThrow(/"my job" cannot be a job name/);
    expect(() => exportDefinitions([job('a'), job('a')])).toThrow(/two definitions are named "a"/);
  });

  it('makes file names of any job name, unique', () => {
    const taken = new Set(['backup']);
    expect(toJobName('nightly backup!', taken)).toBe('nightly-backup');
    expect(toJobName('backup', taken)).toBe('backup-2');
    expect(toJobName('  ', taken)).toBe('job');
    expect(toJobName(undefined, taken)).toBe('job');
    expect(toJobName('Café crème', taken)).toBe('Cafe-creme');
    expect(toJobName('-x-', taken)).toBe('x');
  });
});
