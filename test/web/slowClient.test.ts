import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import { closeEngines, openEngine } from '../engine/helpers';
import { closeHosts, removeFakeRenderers, startTestHost, TestClient } from './helpers';

afterEach(closeHosts);
afterAll(closeEngines);
afterAll(removeFakeRenderers);

describe('a client that stops reading while a job floods its log', () => {
  it('gets every job change, a marker where output was skipped, and a notice', async () => {
    // The engine's own live cap would keep this flood small; lift it so the host's flow control is what acts.
    const engine = openEngine({ settings: { liveLogBytesPerSecond: 256 * 1024 * 1024 } });
    const { host } = await startTestHost({
      engine,
      flowLimits: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, hopelessBytes: 1024 * 1024 * 1024, pollMs: 20, noticeIntervalMs: 0 },
    });
    const client = await TestClient.connect(host.port);
    const started = await client.invoke('jobs.start', { spec: { command: { kind: 'shell', script: "head -c 40000000 /dev/zero | tr '\\0' a; echo done" } } });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.job.id;

    // Stop reading until the job has ended: the server's send buffer for us has to grow.
    client.socket.pause();
    const watcher = await TestClient.connect(host.port);
    await watcher.waitForEvent('jobs.changed', ({ jobs }) => jobs.some((j) => j.id === jobId && j.state === 'exited'), 60_000);
    client.socket.resume();

    await client.waitForEvent('jobs.changed', ({ jobs }) => jobs.some((j) => j.id === jobId && j.state === 'exited'), 30_000);
    const marker = await client.waitForEvent('logs.appended', ({ batches }) =>
      batches.some((b) => b.jobId === jobId && b.chunks.some((c) => c.stream === 'system' && c.text.includes('connection could not keep up'))),
    );
    const markerText = marker.batches.find((b) => b.jobId === jobId)?.chunks[0]?.text;
    expect(markerText).toMatch(/\d+(\.\d)? (MiB|KiB|bytes) of output not shown live/);
    const notice = await client.waitForEvent('engine.notice', (p: EventPayload<'engine.notice'>) => p.level === 'warning');
    expect(notice.message).toContain('skipped');
    // The connection is still usable.
    expect(await client.invoke('jobs.list', {})).toMatchObject({ ok: true });
    client.close();
    watcher.close();
  }, 120_000);
});
