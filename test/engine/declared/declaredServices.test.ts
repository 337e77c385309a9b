import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { EngineError } from '../../../electron/engine/engineError';
import { closedPort, startHttpServer, type LoopbackHttpServer } from '../health/loopbackServers';
import { closeEngines, openEngine, tailText, tempDir, waitFor, waitForState } from '../helpers';

afterEach(async () => {
  await closeEngines();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const servers: LoopbackHttpServer[] = [];

function configFile(text: string, dir = tempDir('pdk-config-')): string {
  const path = join(dir, 'procdeck.yaml');
  writeFileSync(path, text);
  return path;
}

const jobNamed = (engine: Engine, name: string) => {
  const job = engine.jobs.list().find((j) => j.declared?.name === name);
  if (!job) throw new Error(`no declared job ${name}`);
  return job;
};

describe('declared services', () => {
  it('starts a web service, then its worker once the web is healthy (a real python3 http.server)', async () => {
    const port = await closedPort();
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const path = configFile(`jobs:
  web:
    command: [python3, -m, http.server, "${port}", --bind, 127.0.0.1]
    autostart: true
    restart: always
    readiness: { http: "http://127.0.0.1:${port}/", interval: 100ms }
  worker:
    command: [sleep, "300"]
    autostart: true
    dependsOn: { web: healthy }
  idle:
    command: [sleep, "300"]
`);
    const result = await engine.services.load(path);
    expect(result.started).toEqual(['web', 'worker']);
    const worker = jobNamed(engine, 'worker');
    // The worker waits in the queue while the web has not answered yet.
    await waitForState(engine, jobNamed(engine, 'web').id, 'running');
    const web = await waitFor(() => (jobNamed(engine, 'web').health?.state === 'healthy' ? jobNamed(engine, 'web') : undefined), 'the web to be healthy');
    const running = await waitForState(engine, worker.id, 'running');
    expect(running.startedAt!).toBeGreaterThanOrEqual(web.health!.readiness!.since);
    expect(web.health!.readiness!.results.at(-1)).toMatchObject({ ok: true, message: 'returned 200' });
    expect(web.health!.readiness!.reason).toMatch(new RegExp(`^readiness: GET http://127.0.0.1:${port}/ returned 200 after `));
    // Without autostart: listed, not started.
    expect(jobNamed(engine, 'idle')).toMatchObject({ state: 'skipped', runCount: 0 });
    expect(jobNamed(engine, 'idle').reason).toContain('without autostart');
    expect(() => engine.jobs.remove(jobNamed(engine, 'idle').id)).toThrow(`job idle is declared in ${path}; remove it from the file and apply the file`);
  });

  it('restarts a run whose liveness probe fails, with the reason recorded, and tells its dependants without killing them', async () => {
    const control = { status: 200 };
    const server = await startHttpServer((_req, res) => res.writeHead(control.status).end());
    servers.push(server);
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const path = configFile(`jobs:
  api:
    command: [sleep, "300"]
    autostart: true
    restart: { policy: always, backoff: 100ms }
    readiness: { http: "${server.url}", interval: 100ms }
    liveness: { http: "${server.url}", interval: 100ms, failureThreshold: 3 }
  client:
    command: [sleep, "300"]
    autostart: true
    dependsOn: { api: healthy }
`);
    await engine.services.load(path);
    const api = jobNamed(engine, 'api');
    const client = await waitForState(engine, jobNamed(engine, 'client').id, 'running');
    const firstRun = (await waitFor(() => (jobNamed(engine, 'api').health?.state === 'healthy' ? jobNamed(engine, 'api') : undefined), 'api healthy')).runId;
    const notices: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));

    control.status = 503;
    const reason = `liveness: GET ${server.url} returned 503 three times`;
    await waitFor(() => engine.jobs.get(api.id).restarts.lastReason === reason, () => `the restart's reason (is ${engine.jobs.get(api.id).restarts.lastReason})`);
    control.status = 200;
    const again = await waitFor(() => {
      const job = engine.jobs.get(api.id);
      return job.runId !== firstRun && job.state === 'running' ? job : undefined;
    }, 'a new run of api');
    expect(again.restarts.automatic).toBe(1);
    await waitFor(() => notices.find((n) => n.startsWith('api is unhealthy')), 'a notice to the dependants');
    expect(notices.find((n) => n.startsWith('api is unhealthy'))).toContain('client depends on it and keeps running');
    // The dependant was told, not stopped.
    expect(engine.jobs.get(client.id)).toMatchObject({ state: 'running', runId: client.runId });
  });

  it('refuses a bad file with every error at file:line:column and changes nothing', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const good = configFile(`jobs:
  web:
    command: [sleep, "300"]
    autostart: true
`);
    await engine.services.load(good);
    const before = engine.jobs.list();
    const bad = configFile(`jobs:
  web:
    command: [sleep, "300"]
    readyness: { http: "http://127.0.0.1:1/" }
  worker:
    command: true
    dependsOn: { wbe: healthy }
`);
    const error = await engine.services.apply(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    const message = (error as EngineError).message;
    expect(message).toContain(`${bad}:4:5: jobs.web.readyness: unknown key "readyness" (did you mean "readiness"?)`);
    expect(message).toMatch(new RegExp(`${bad.replace(/[.]/g, '\\.')}:7:\\d+: jobs\\.worker\\.dependsOn\\.wbe: .*"wbe"`));
    expect(engine.jobs.list()).toEqual(before);
    await expect(engine.services.diff(bad)).rejects.toThrow(/readyness/);
  });

  it('diffs an edited file and applies it: the changed running service restarts, the added one starts, the removed one stops', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const dir = tempDir('pdk-config-');
    const path = configFile(`jobs:
  a:
    command: [sleep, "300"]
    autostart: true
  b:
    command: [sleep, "301"]
    autostart: true
    dependsOn: { a: started }
  gone:
    command: [sleep, "302"]
    autostart: true
`, dir);
    await engine.services.load(path);
    const a = await waitForState(engine, jobNamed(engine, 'a').id, 'running');
    const b = await waitForState(engine, jobNamed(engine, 'b').id, 'running');
    const gone = await waitForState(engine, jobNamed(engine, 'gone').id, 'running');
    configFile(`jobs:
  a:
    command: [sleep, "303"]
    autostart: true
  b:
    command: [sleep, "301"]
    autostart: true
    dependsOn: { a: started }
    priority: 5
  added:
    command: [sleep, "304"]
    autostart: true
`, dir);
    const diff = await engine.services.diff(path);
    expect(diff).toMatchObject({ added: ['added'], removed: ['gone'], unchanged: [] });
    expect(diff.changed).toEqual([
      { name: 'a', fields: ['command'], needsRestart: true },
      { name: 'b', fields: ['priority'], needsRestart: false },
    ]);
    expect(engine.jobs.get(a.id).runId).toBe(a.runId);

    const applied = await engine.services.apply(path);
    expect(applied.restarted).toEqual(['a']);
    const a2 = await waitForState(engine, a.id, 'running');
    expect(a2.runId).not.toBe(a.runId);
    expect(a2.spec.command).toEqual({ kind: 'argv', program: 'sleep', args: ['303'] });
    expect(engine.jobs.get(b.id)).toMatchObject({ runId: b.runId, state: 'running' });
    expect(engine.jobs.get(b.id).spec.priority).toBe(5);
    const stopped = await waitForState(engine, gone.id, 'killed');
    expect(stopped.reason).toBe(`removed from ${path}`);
    expect(stopped.declared).toBeUndefined();
    await waitForState(engine, jobNamed(engine, 'added').id, 'running');
    const { yaml } = await engine.services.exportYaml();
    expect(yaml).toContain('"303"');
    expect(yaml).not.toContain('gone:');
  });

  it('matches a log line for readiness, and exports the definitions in force as YAML', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const path = configFile(`jobs:
  printer:
    command: "echo booting; sleep 0.2; echo listening now; exec sleep 300"
    autostart: true
    readiness: { log: "listening", interval: 10s }
`);
    await engine.services.load(path);
    const job = await waitFor(() => (jobNamed(engine, 'printer').health?.state === 'healthy' ? jobNamed(engine, 'printer') : undefined), 'readiness from the log line');
    expect(job.health!.readiness!.results.at(-1)!.message).toBe('printed "listening now"');
    const { yaml } = await engine.services.exportYaml();
    expect(yaml).toContain('printer:');
    expect(yaml).toContain('readiness:');
  });

  it('imports a Procfile: the release type runs first, the others start once it succeeded, with PORT set', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const dir = tempDir('pdk-procfile-');
    const path = join(dir, 'Procfile');
    writeFileSync(path, 'web: echo "port $PORT"; exec sleep 300\nrelease: echo migrated\n');
    const result = await engine.services.load(path);
    expect(result.jobs.map((j) => j.name).sort()).toEqual(['release', 'web']);
    const release = jobNamed(engine, 'release');
    const web = await waitForState(engine, jobNamed(engine, 'web').id, 'running');
    const done = engine.jobs.get(release.id);
    expect(done).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(web.startedAt!).toBeGreaterThanOrEqual(done.endedAt!);
    await waitFor(() => tailText(engine, web.id).includes('port 5000'), 'web printing its PORT');
  });

  it('pushes each probe result to clients while the health stays the same (the detail shows the latest results)', async () => {
    const server = await startHttpServer((_req, res) => res.writeHead(503).end());
    servers.push(server);
    // Samples once a minute: no tick pushes the job meanwhile, only its probes do.
    const engine = openEngine({ settings: { maxConcurrent: 16, sampleIntervalMs: 60_000 } });
    const path = configFile(`jobs:\n  slow:\n    command: [sleep, "300"]\n    autostart: true\n    readiness: { http: "${server.url}", interval: 100ms }\n`);
    const id = (await engine.services.load(path)).jobs[0]!.jobId;
    const pushed: number[] = [];
    engine.events.on('jobs.changed', ({ jobs }) => {
      const job = jobs.find((j) => j.id === id);
      if (job?.health?.state === 'starting') pushed.push(job.health.readiness!.results.length);
    });
    // The read-backs after a launch push the job a few times too: many pushes, each with a new result, are the probes' own.
    await waitFor(() => new Set(pushed).size >= 8, () => `eight result counts pushed while starting (pushed: ${pushed.join(', ')})`);
    expect(engine.jobs.get(id).health!.readiness!.results.at(-1)).toMatchObject({ ok: false, message: 'returned 503' });
  });

  it('with the default settings, more autostart services than cores all start (none waits behind the pool)', async () => {
    const engine = openEngine();
    const names = ['s1', 's2', 's3', 's4'];
    const path = configFile(`jobs:\n${names.map((n) => `  ${n}:\n    command: [sleep, "300"]\n    autostart: true\n`).join('')}`);
    const { jobs } = await engine.services.load(path);
    for (const job of jobs) await waitForState(engine, job.jobId, 'running');
  });
});
