import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/engine';
import { closeEngines, openEngine, tailText, tempDir, waitFor, waitForState } from '../helpers';
import { closedPort } from './loopbackServers';

afterEach(closeEngines);

const webOf = (engine: Engine) => engine.jobs.list().find((j) => j.declared?.name === 'web')!;

describe('the last probe results of the live run', () => {
  it('keeps the last 10 of each probe (when, passed, how long, the message), with its streak and thresholds, against a real python3 http.server', async () => {
    const port = await closedPort();
    const dir = tempDir('pdk-probes-');
    const path = join(dir, 'procdeck.yaml');
    writeFileSync(
      path,
      `jobs:
  web:
    command: [python3, -m, http.server, "${port}", --bind, 127.0.0.1, --directory, "${dir}"]
    autostart: true
    readiness: { http: "http://127.0.0.1:${port}/ready.txt", status: 200, interval: 100ms, successThreshold: 2, failureThreshold: 4 }
    # However slowly python starts on a loaded machine, its liveness must not stop it meanwhile.
    liveness: { tcp: "127.0.0.1:${port}", interval: 100ms, timeout: 2s, failureThreshold: 1000 }
`,
    );
    const engine = openEngine({ settings: { maxConcurrent: 16 } });
    await engine.services.load(path);
    const started = await waitForState(engine, webOf(engine).id, 'running');
    // More than ten answers from the server (python logs each request on stderr): only the last ten are kept.
    const requests = () => tailText(engine, started.id).match(/"GET \/ready\.txt HTTP\/1\.[01]" 404/g)?.length ?? 0;
    await waitFor(() => requests() >= 12, 'the server to answer 12 readiness probes', 30_000);
    const starting = engine.jobs.get(started.id);
    const readiness = starting.health!.readiness!;
    expect(starting.health!.state).toBe('starting');
    expect(readiness).toMatchObject({
      role: 'readiness',
      target: `GET http://127.0.0.1:${port}/ready.txt`,
      state: 'starting',
      timing: { initialDelayMs: 0, intervalMs: 100, timeoutMs: 1000, successThreshold: 2, failureThreshold: 4 },
    });
    expect(readiness.results).toHaveLength(10);
    expect(readiness.streak.successes).toBe(0);
    expect(readiness.streak.failures).toBeGreaterThanOrEqual(12);
    const notFound = readiness.results.filter((r) => r.message === 'returned 404');
    // Oldest first, each with when it started and how long it took; the first ones (before the server listened) are gone.
    expect(notFound.length).toBeGreaterThanOrEqual(9);
    expect(readiness.results.every((r) => !r.ok && r.durationMs >= 0 && r.at >= started.startedAt!)).toBe(true);
    expect(readiness.results.map((r) => r.at)).toEqual([...readiness.results.map((r) => r.at)].sort((a, b) => a - b));
    expect(starting.health!.liveness).toMatchObject({ role: 'liveness', target: `tcp 127.0.0.1:${port}`, timing: { timeoutMs: 2000, failureThreshold: 1000 } });

    writeFileSync(join(dir, 'ready.txt'), 'ok');
    const healthy = await waitFor(() => (engine.jobs.get(started.id).health?.state === 'healthy' ? engine.jobs.get(started.id) : undefined), 'web to be healthy');
    const passed = healthy.health!.readiness!;
    expect(passed.results.slice(-2)).toMatchObject([
      { ok: true, message: 'returned 200' },
      { ok: true, message: 'returned 200' },
    ]);
    expect(passed.streak).toEqual({ successes: 2, failures: 0 });
    expect(passed.reason).toMatch(new RegExp(`^readiness: GET http://127.0.0.1:${port}/ready.txt returned 200 after `));
    expect(healthy.health!.liveness!.results.at(-1)).toMatchObject({ ok: true });
  }, 60_000);
});
