import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { describeWait } from '../../../shared/jobWait';
import { startHttpServer, type LoopbackHttpServer } from '../health/loopbackServers';
import { closeEngines, openEngine, tailText, tempDir, waitFor, waitForState } from '../helpers';

/**
 * dependsOn: { db: { condition: healthy, onUnhealthy: stop } }: a dependant stopped while its
 * dependency is unhealthy, held in the queue behind it (not restarted by its own policy), and
 * started again once it is healthy; `tell` dependants keep running. The dependency's health comes
 * from real probes of a real HTTP server on loopback whose answer the test flips.
 */
afterEach(async () => {
  // A run that ignores SIGTERM would hold the engine's shutdown for its whole grace period: a failed test kills it first.
  for (const kill of killFirst.splice(0)) kill();
  await closeEngines();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const servers: LoopbackHttpServer[] = [];
const killFirst: (() => void)[] = [];

async function flippableServer(): Promise<{ server: LoopbackHttpServer; control: { status: number } }> {
  const control = { status: 200 };
  const server = await startHttpServer((_req, res) => res.writeHead(control.status).end());
  servers.push(server);
  return { server, control };
}

function configFile(text: string): string {
  const path = join(tempDir('pdk-unhealthy-'), 'procdeck.yaml');
  writeFileSync(path, text);
  return path;
}

const jobNamed = (engine: Engine, name: string) => {
  const job = engine.jobs.list().find((j) => j.declared?.name === name);
  if (!job) throw new Error(`no declared job ${name}`);
  return job;
};

/** The record of a run once it has ended. */
const endedRecord = (engine: Engine, jobId: string, runId: string) => waitFor(() => engine.jobs.runs(jobId).find((r) => r.runId === runId && r.endedAt !== undefined), `the end of run ${runId} of ${jobId}`);

const healthy = (engine: Engine, name: string) => waitFor(() => (jobNamed(engine, name).health?.state === 'healthy' ? jobNamed(engine, name) : undefined), `${name} to be healthy`);

describe('a dependency that turns unhealthy', () => {
  it('stops a dependant with onUnhealthy: stop (its record says why), holds it behind the dependency while unhealthy, starts it again once healthy; a tell dependant keeps running', async () => {
    const { server, control } = await flippableServer();
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    // Readiness never turns unhealthy first (failureThreshold 1000): the liveness probe is the one that fails.
    // db ignores SIGTERM: each of its stops lasts its grace period, and a stopping db is healthy for no one.
    await engine.services.load(
      configFile(`jobs:
  db:
    command: "trap '' TERM; exec sleep 300"
    gracePeriod: 1s
    autostart: true
    restart: { policy: always, backoff: 100ms, maxRestarts: 1000, minUptime: 0s }
    readiness: { http: "${server.url}", interval: 100ms, failureThreshold: 1000 }
    liveness: { http: "${server.url}", interval: 100ms, failureThreshold: 3 }
  api:
    command: [sleep, "300"]
    autostart: true
    restart: always
    dependsOn: { db: { condition: healthy, onUnhealthy: stop } }
  client:
    command: [sleep, "300"]
    autostart: true
    dependsOn: { db: healthy }
`),
    );
    const api = await waitForState(engine, jobNamed(engine, 'api').id, 'running');
    const client = await waitForState(engine, jobNamed(engine, 'client').id, 'running');
    const db = await healthy(engine, 'db');
    const notices: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));

    control.status = 503;
    const reason = `liveness: GET ${server.url} returned 503 three times`;
    const record = await endedRecord(engine, api.id, api.runId!);
    expect(record).toMatchObject({ endedBy: 'dependency', endRequest: 'stop', reason: `stopped: dependency db became unhealthy (${reason})` });
    expect(tailText(engine, api.id)).toContain(`stopping: dependency db became unhealthy (${reason}); it starts again once db is healthy`);
    expect(notices).toContain(`db is unhealthy (${reason}); api stopped until it is healthy again (onUnhealthy: stop); client depends on it and keeps running`);

    // Queued behind its dependency, with the wait any dependant shows, while db goes on failing and restarting.
    const waiting = await waitFor(() => {
      const job = engine.jobs.get(api.id);
      return job.wait?.kind === 'dependency' ? job : undefined;
    }, () => `api waiting for db (is ${engine.jobs.get(api.id).state})`);
    expect(describeWait(waiting.wait!)).toBe('waiting for db to be healthy');
    const restartsThen = engine.jobs.get(db.id).restarts.automatic;
    await waitFor(() => engine.jobs.get(db.id).restarts.automatic >= restartsThen + 2, () => `db restarted twice more (${engine.jobs.get(db.id).restarts.automatic - restartsThen})`);
    expect(engine.jobs.get(api.id)).toMatchObject({ state: 'queued', runCount: 1, wait: { kind: 'dependency', name: 'db', condition: 'healthy' } });
    // The tell dependant: told in its log, never stopped.
    expect(engine.jobs.get(client.id)).toMatchObject({ state: 'running', runId: client.runId });
    expect(tailText(engine, client.id)).toContain(`dependency db is unhealthy: ${reason}`);

    control.status = 200;
    const again = await waitFor(() => {
      const job = engine.jobs.get(api.id);
      return job.state === 'running' && job.runId !== api.runId ? job : undefined;
    }, () => `api running again (is ${engine.jobs.get(api.id).state})`);
    const dbNow = engine.jobs.get(db.id);
    expect(dbNow.health?.state).toBe('healthy');
    expect(again.startedAt!).toBeGreaterThanOrEqual(dbNow.health!.readiness!.since);
    expect(again).toMatchObject({ runCount: 2, restarts: { lastReason: `dependency db became unhealthy (${reason})` } });
    expect(engine.jobs.get(client.id)).toMatchObject({ state: 'running', runId: client.runId });
  });

  it('on a failed readiness probe (the dependency runs on) too; a dependant the operator stops while it waits, or kills while its stop is under way, stays ended', async () => {
    const { server, control } = await flippableServer();
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    const stop = 'dependsOn: { db: { condition: healthy, onUnhealthy: stop } }';
    await engine.services.load(
      configFile(`jobs:
  db:
    command: [sleep, "300"]
    autostart: true
    readiness: { http: "${server.url}", interval: 100ms }
  waiter:
    command: [sleep, "300"]
    autostart: true
    ${stop}
  stubborn:
    command: "trap '' TERM; exec sleep 300"
    gracePeriod: 10m
    autostart: true
    ${stop}
  witness:
    command: [sleep, "300"]
    autostart: true
    ${stop}
`),
    );
    const [waiter, stubborn, witness] = await Promise.all(['waiter', 'stubborn', 'witness'].map((name) => waitForState(engine, jobNamed(engine, name).id, 'running')));
    killFirst.push(() => {
      if (engine.jobs.get(stubborn!.id).state === 'stopping') engine.jobs.kill(stubborn!.id);
    });
    const db = await healthy(engine, 'db');

    control.status = 503;
    const reason = `readiness: GET ${server.url} returned 503 three times`;
    await waitFor(() => engine.jobs.get(waiter!.id).wait?.kind === 'dependency', 'waiter waiting for db');
    await waitFor(() => engine.jobs.get(witness!.id).wait?.kind === 'dependency', 'witness waiting for db');
    // SIGTERM is ignored: its stop waits out a grace period of ten minutes.
    await waitForState(engine, stubborn!.id, 'stopping');
    expect(tailText(engine, stubborn!.id)).toContain(`stopping: dependency db became unhealthy (${reason})`);
    // A failed readiness probe stops no one but the dependants: db runs on.
    expect(engine.jobs.get(db.id)).toMatchObject({ state: 'running', runId: db.runId, health: { state: 'unhealthy' } });

    engine.jobs.stop(waiter!.id);
    expect(engine.jobs.get(waiter!.id)).toMatchObject({ state: 'skipped', reason: 'cancelled while queued' });
    engine.jobs.kill(stubborn!.id);
    await waitForState(engine, stubborn!.id, 'killed');
    expect(await endedRecord(engine, stubborn!.id, stubborn!.runId!)).toMatchObject({ endedBy: 'dependency', endRequest: 'kill', signal: 'SIGKILL' });

    control.status = 200;
    // The witness starting again shows the scheduler looked at db's dependants once it was healthy.
    await waitFor(() => {
      const job = engine.jobs.get(witness!.id);
      return job.state === 'running' && job.runId !== witness!.runId;
    }, () => `witness running again (is ${engine.jobs.get(witness!.id).state})`);
    expect(engine.jobs.get(waiter!.id)).toMatchObject({ state: 'skipped', runCount: 1 });
    expect(engine.jobs.get(stubborn!.id)).toMatchObject({ state: 'killed', runCount: 1 });
  });
});
