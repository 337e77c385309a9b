import { afterEach, describe, expect, it } from 'vitest';
import type { HealthTransition } from '../../../electron/engine/health/healthTracker';
import { waitFor } from '../helpers';
import { closedPort, startHttpServer, startTcpServer, type LoopbackHttpServer } from './loopbackServers';
import { disposeTrackers, track, trackerChild, waitForHealth } from './probeHarness';

const servers: LoopbackHttpServer[] = [];
afterEach(async () => {
  await disposeTrackers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function flippingServer() {
  const control = { status: 200 };
  const web = await startHttpServer((_req, res) => res.writeHead(control.status).end());
  servers.push(web);
  return { web, control };
}

describe('HealthTracker', () => {
  it('turns unhealthy after three failures and healthy again after two successes, with the reason in words', async () => {
    const { web, control } = await flippingServer();
    const tracker = track('liveness', { kind: 'http', url: web.url, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 3, successThreshold: 2 });
    const transitions: HealthTransition[] = [];
    tracker.onTransition((t) => transitions.push(t));
    await waitForHealth(tracker, 'healthy');
    expect(tracker.results().filter((r) => r.ok).length).toBeGreaterThanOrEqual(2);

    control.status = 503;
    await waitForHealth(tracker, 'unhealthy');
    const failuresBefore = tracker.results().slice(-3);
    expect(failuresBefore.map((r) => r.ok)).toEqual([false, false, false]);
    expect(tracker.snapshot().reason).toBe(`liveness: GET ${web.url} returned 503 three times`);

    control.status = 200;
    await waitForHealth(tracker, 'healthy');
    expect(tracker.results().slice(-2).map((r) => r.ok)).toEqual([true, true]);
    expect(tracker.snapshot().reason).toBe(`liveness: GET ${web.url} returned 200 twice, healthy again`);
    expect(transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['starting→healthy', 'healthy→unhealthy', 'unhealthy→healthy']);
  });

  it('says what the failures were when they differ', async () => {
    const { web, control } = await flippingServer();
    const tracker = track('liveness', { kind: 'http', url: web.url, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 3 });
    await waitForHealth(tracker, 'healthy');
    control.status = 500;
    await waitFor(() => tracker.results().at(-1)?.message === 'returned 500', 'a 500');
    control.status = 503;
    await waitForHealth(tracker, 'unhealthy');
    expect(tracker.snapshot().reason).toBe(`liveness: GET ${web.url} failed three times in a row, last: returned 503`);
  });

  it('readiness stays starting while it has never succeeded, then is ready with the time it took', async () => {
    const port = await closedPort();
    const tracker = track('readiness', { kind: 'tcp', target: `127.0.0.1:${port}`, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 1 }, { startedAt: Date.now() });
    await waitFor(() => tracker.results().length >= 3, 'three refused probes');
    expect(tracker.state).toBe('starting');
    expect(tracker.results().at(-1)).toMatchObject({ ok: false, message: 'connection refused' });
    tracker.dispose();
  });

  it('readiness: tcp … connected after N s, once the port listens', async () => {
    const tcp = await startTcpServer();
    try {
      const startedAt = Date.now() - 1_200;
      const tracker = track('readiness', { kind: 'tcp', target: `127.0.0.1:${tcp.port}`, intervalMs: 100, timeoutMs: 5_000 }, { startedAt });
      await waitForHealth(tracker, 'healthy');
      const reason = tracker.snapshot().reason!;
      const seconds = Number(/^readiness: tcp 127\.0\.0\.1:\d+ connected after ([\d.]+) s$/.exec(reason)?.[1]);
      expect(reason).toMatch(/connected after/);
      expect(seconds).toBeGreaterThanOrEqual(1.2);
      expect(tcp.accepted()).toBeGreaterThanOrEqual(1);
    } finally {
      await tcp.close();
    }
  });

  it('a liveness probe turns unhealthy even if it never succeeded (a run that hangs at start)', async () => {
    const port = await closedPort();
    const tracker = track('liveness', { kind: 'tcp', target: `127.0.0.1:${port}`, intervalMs: 100, timeoutMs: 5_000, failureThreshold: 2 });
    await waitForHealth(tracker, 'unhealthy');
    expect(tracker.snapshot().reason).toBe(`liveness: tcp 127.0.0.1:${port} connection refused twice`);
  });

  it('never overlaps itself: a probe slower than its interval delays the next one', async () => {
    let answered = 0;
    const web = await startHttpServer((_req, res) => {
      setTimeout(() => {
        answered += 1;
        res.writeHead(200).end();
      }, 300);
    });
    servers.push(web);
    const tracker = track('liveness', { kind: 'http', url: web.url, intervalMs: 100, timeoutMs: 10_000 });
    await waitFor(() => answered >= 4, 'four slow answers');
    expect(web.mostConcurrent).toBe(1);
    expect(tracker.results().every((r) => r.durationMs >= 290)).toBe(true);
  });

  it('keeps the last N results, oldest first', async () => {
    const { web } = await flippingServer();
    const tracker = track('liveness', { kind: 'http', url: web.url, intervalMs: 100, timeoutMs: 5_000 }, { historySize: 3 });
    await waitFor(() => web.requests >= 6, 'six probes');
    await waitFor(() => tracker.results().length === 3, 'three results kept');
    const results = tracker.results();
    expect(results.map((r) => r.at)).toEqual([...results.map((r) => r.at)].sort((a, b) => a - b));
    expect(results[0]).toMatchObject({ ok: true, message: 'returned 200' });
    expect(typeof results[0]!.durationMs).toBe('number');
  });

  it('waits the initial delay before the first probe', async () => {
    const { web } = await flippingServer();
    const early = track('liveness', { kind: 'http', url: web.url, intervalMs: 100, timeoutMs: 5_000 });
    const late = track('liveness', { kind: 'http', url: web.url, intervalMs: 100, timeoutMs: 5_000, initialDelayMs: 60_000 });
    await waitFor(() => early.results().length >= 3, 'three probes of the undelayed tracker');
    expect(late.results()).toEqual([]);
    expect(late.state).toBe('starting');
  });

  it('dispose mid-probe leaves no timer or socket: the process holding it then ends by itself', async () => {
    const hanging = await startHttpServer(() => undefined);
    servers.push(hanging);
    const child = trackerChild({ kind: 'http', url: hanging.url, intervalMs: 100, timeoutMs: 600_000 });
    await waitFor(() => hanging.requests >= 1, 'the probe to reach the server');
    child.send('dispose');
    expect(await child.said).toEqual({ held: [], results: 0 });
    expect(await child.exited).toBe(0);
    expect(hanging.requests).toBe(1);
  });

  it('dispose between probes cancels the interval timer', async () => {
    const { web } = await flippingServer();
    const child = trackerChild({ kind: 'http', url: web.url, intervalMs: 600_000, timeoutMs: 5_000 });
    await waitFor(() => web.requests >= 1, 'the first probe');
    child.send('dispose');
    expect((await child.said).held).toEqual([]);
    expect(await child.exited).toBe(0);
  });

});
