import { afterEach, describe, expect, it } from 'vitest';
import type { LineSource } from '../../../electron/engine/health/logProbe';
import { waitFor } from '../helpers';
import { closedPort, startTcpServer } from './loopbackServers';
import { attemptOnce, disposeTrackers, track, waitForHealth } from './probeHarness';

afterEach(disposeTrackers);

/** The run's output as a log probe sees it: the test prints lines into it. */
function outputLines(): { source: LineSource; print(line: string): void; listeners: () => number } {
  const listeners = new Set<(line: string) => void>();
  return {
    source: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    print: (line) => {
      for (const listener of listeners) listener(line);
    },
    listeners: () => listeners.size,
  };
}

describe('TCP probe', () => {
  it('connects to a listening port and is refused by a closed one', async () => {
    const tcp = await startTcpServer();
    try {
      expect(await attemptOnce({ kind: 'tcp', target: `127.0.0.1:${tcp.port}` })).toEqual({ ok: true, message: 'connected' });
      await waitFor(() => tcp.accepted() === 1, 'the server to accept the connection');
    } finally {
      await tcp.close();
    }
    expect(await attemptOnce({ kind: 'tcp', target: `127.0.0.1:${await closedPort()}` })).toEqual({ ok: false, message: 'connection refused' });
  });

  it('takes a bracketed IPv6 address', async () => {
    const port = await closedPort();
    const attempt = await attemptOnce({ kind: 'tcp', target: `[::1]:${port}` });
    // Refused where ::1 is configured, unreachable or unavailable where it is not: never a crash.
    expect(attempt.ok).toBe(false);
    expect(attempt.message).toMatch(/refused|unreachable|not available/);
  });
});

describe('log probe', () => {
  it('is ready as soon as a matching line is printed, not at the next interval', async () => {
    const output = outputLines();
    const tracker = track('readiness', { kind: 'log', regex: 'listening on port (\\d+)', intervalMs: 600_000, timeoutMs: 100 }, { lines: output.source });
    await waitFor(() => tracker.results().length === 1, 'the first probe (no line yet)');
    expect(tracker.results()[0]).toMatchObject({ ok: false, message: 'no matching line yet' });
    output.print('starting up');
    output.print('\u001b[32mlistening on port 8080\u001b[0m');
    await waitForHealth(tracker, 'healthy');
    expect(tracker.results().at(-1)).toMatchObject({ ok: true, message: 'printed "\ufffd[32mlistening on port 8080\ufffd[0m"' });
    expect(tracker.snapshot().reason).toMatch(/^readiness: log \/listening on port \(\\d\+\)\/ printed ".*" after [\d.]+ (ms|s)$/);
  });

  it('a line printed during the attempt ends it at once; one printed between attempts counts for the next', async () => {
    const output = outputLines();
    const tracker = track('liveness', { kind: 'log', regex: 'heartbeat', intervalMs: 100, timeoutMs: 600_000, successThreshold: 1 }, { lines: output.source });
    await waitFor(() => output.listeners() === 1, 'the probe to subscribe');
    output.print('heartbeat 1');
    await waitForHealth(tracker, 'healthy');
    output.print('heartbeat 2');
    await waitFor(() => tracker.results().filter((r) => r.ok).length >= 2, 'the second heartbeat counted');
    expect(tracker.results().every((r) => r.ok)).toBe(true);
  });

  it('liveness: no matching line within the timeout three times → unhealthy', async () => {
    const output = outputLines();
    const tracker = track('liveness', { kind: 'log', regex: 'heartbeat', intervalMs: 100, timeoutMs: 100, failureThreshold: 3 }, { lines: output.source });
    output.print('heartbeat');
    await waitForHealth(tracker, 'healthy');
    output.print('something else');
    await waitForHealth(tracker, 'unhealthy');
    expect(tracker.snapshot().reason).toBe('liveness: log /heartbeat/ no matching line since the previous probe three times');
  });

  it('matches only the start of a huge line, and unsubscribes on dispose', async () => {
    const output = outputLines();
    const tracker = track('readiness', { kind: 'log', regex: 'READY$', intervalMs: 100, timeoutMs: 100 }, { lines: output.source });
    output.print(`${'x'.repeat(1_000_000)} READY`);
    output.print(`${'x'.repeat(100)} READY`);
    await waitForHealth(tracker, 'healthy');
    expect(tracker.results().at(-1)!.message).toBe(`printed "${'x'.repeat(100)} READY"`);
    await tracker.dispose();
    expect(output.listeners()).toBe(0);
  });
});
