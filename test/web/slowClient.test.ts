import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import { isActive } from '../../shared/jobState';
import { closeEngines, openEngine, waitFor } from '../engine/helpers';
import { closeHosts, removeFakeRenderers, startTestHost, TestClient } from './helpers';

afterEach(closeHosts);
afterAll(closeEngines);
afterAll(removeFakeRenderers);

const ended = (jobId: string) => (payload: EventPayload<'jobs.changed'>) => payload.jobs.some((j) => j.id === jobId && !isActive(j.state) && j.state !== 'queued');

describe('a client that stops reading while a job floods its log', () => {
  it('gets every job change, a marker where output was skipped, and a notice', async () => {
    // The engine's own live cap would keep this flood small; lift it so the host's flow control is what acts.
    const engine = openEngine({ settings: { liveLogBytesPerSecond: 256 * 1024 * 1024 } });
    const { host } = await startTestHost({
      engine,
      flowLimits: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, hopelessBytes: 1024 * 1024 * 1024, pollMs: 20, noticeIntervalMs: 0 },
    });
    const client = await TestClient.connect(host.port);
    const { viewer } = host.backlogs().at(-1)!;
    // Stop reading: once the kernel's socket buffers are full (tens of MiB on loopback), the server's own backlog for us grows.
    client.socket.pause();
    const watcher = await TestClient.connect(host.port);

    // A flood with no end of its own, so it outlasts the kernel's buffers on any machine: it
    // runs until the host has been seen skipping output for the client that stopped reading.
    const started = await watcher.invoke('jobs.start', { spec: { command: { kind: 'argv', program: 'yes', args: ['a'.repeat(200)] } } });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.job.id;
    await waitFor(() => host.backlogs().find((b) => b.viewer === viewer)?.congested, 'the host to skip live output for the client that stopped reading', 120_000);
    expect((await watcher.invoke('jobs.stop', { jobId })).ok).toBe(true);
    await watcher.waitForEvent('jobs.changed', ended(jobId), 30_000);
    client.socket.resume();

    // Job changes are never skipped: the end arrives, then the gap is marked and announced.
    await client.waitForEvent('jobs.changed', ended(jobId), 60_000);
    const marker = await client.waitForEvent(
      'logs.appended',
      ({ batches }) => batches.some((b) => b.jobId === jobId && b.chunks.some((c) => c.stream === 'system' && c.text.includes('connection could not keep up'))),
      60_000,
    );
    const markerText = marker.batches.find((b) => b.jobId === jobId)?.chunks[0]?.text;
    expect(markerText).toMatch(/\d+(\.\d)? (MiB|KiB|bytes) of output not shown live/);
    const notice = await client.waitForEvent('engine.notice', (p: EventPayload<'engine.notice'>) => p.level === 'warning');
    expect(notice.message).toContain('skipped');
    // The connection is still usable.
    expect(await client.invoke('jobs.list', {})).toMatchObject({ ok: true });
    client.close();
    watcher.close();
  }, 300_000);
});
