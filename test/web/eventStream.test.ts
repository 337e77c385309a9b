import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import { isFinal } from '../../shared/jobState';
import { closeEngines, openEngine, waitFor } from '../engine/helpers';
import { apiCall, bearer, errorOf, httpCall } from './apiHelpers';
import { closeHosts, removeFakeRenderers, startTestHost } from './helpers';
import { SseClient } from './sseClient';

const streams: SseClient[] = [];
const open = async (...args: Parameters<typeof SseClient.open>) => {
  const client = await SseClient.open(...args);
  streams.push(client);
  return client;
};

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await closeHosts();
});
afterAll(closeEngines);
afterAll(removeFakeRenderers);

const ended = (jobId: string) => (payload: EventPayload<'jobs.changed'>) => payload.jobs.some((j) => j.id === jobId && isFinal(j.state));
const logged = (jobId: string, text: string) => (payload: EventPayload<'logs.appended'>) =>
  payload.batches.some((b) => b.jobId === jobId && b.chunks.some((c) => c.text.includes(text)));

describe('GET /api/v1/events', () => {
  it('is refused without the token, from a page of another origin, with an unknown event name, and to POST', async () => {
    const { host } = await startTestHost();
    expect((await httpCall(host.port, { method: 'GET', path: '/api/v1/events' })).status).toBe(401);
    expect((await httpCall(host.port, { method: 'GET', path: '/api/v1/events', headers: { ...bearer(), Origin: 'http://attacker.example' } })).status).toBe(403);
    const unknown = await httpCall(host.port, { method: 'GET', path: '/api/v1/events?events=jobs.changed,jobs.exploded', headers: bearer() });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).message).toContain('unknown event "jobs.exploded"');
    expect((await httpCall(host.port, { method: 'POST', path: '/api/v1/events', headers: bearer() })).status).toBe(405);
    expect(host.eventStreamBacklogs()).toEqual([]);
  });

  it("carries a job's jobs.changed and logs.appended, with the contract's payloads, as text/event-stream", async () => {
    const { host } = await startTestHost();
    const stream = await open(host.port);
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers['cache-control']).toBe('no-store');
    const { job } = await apiCall(host.port, 'jobs.start', { spec: { name: 'sse', command: { kind: 'shell', script: 'echo sse-output-line; exit 3' } } });
    await stream.waitForEvent('logs.appended', logged(job.id, 'sse-output-line'));
    const end = await stream.waitForEvent('jobs.changed', ended(job.id));
    expect(end.jobs.find((j) => j.id === job.id)).toMatchObject({ state: 'exited', exitCode: 3 });
  });

  it('carries only the events named in ?events=', async () => {
    const { host } = await startTestHost();
    const everything = await open(host.port);
    const onlyJobs = await open(host.port, '?events=jobs.changed,jobs.removed');
    const { job } = await apiCall(host.port, 'jobs.start', { spec: { command: { kind: 'shell', script: 'echo filtered-out; sleep 0.5' } } });
    // Both see the end; by then the unfiltered stream has had the output and samples that came before it.
    await everything.waitForEvent('logs.appended', logged(job.id, 'filtered-out'));
    await everything.waitForEvent('jobs.changed', ended(job.id));
    await onlyJobs.waitForEvent('jobs.changed', ended(job.id));
    await apiCall(host.port, 'jobs.remove', { jobId: job.id });
    await onlyJobs.waitForEvent('jobs.removed', (p) => p.jobIds.includes(job.id));
    expect([...onlyJobs.names()].sort()).toEqual(['jobs.changed', 'jobs.removed']);
    expect(everything.names()).toContain('logs.appended');
  });

  it('sends heartbeat comments on a quiet stream', async () => {
    const { host } = await startTestHost({ eventHeartbeatMs: 50 });
    const stream = await open(host.port, '?events=engine.notice');
    await waitFor(() => stream.comments.includes('heartbeat'), 'a heartbeat comment');
    expect(stream.comments[0]).toBe('procdeck events');
    expect(stream.events).toEqual([]);
  });

  it('sends the host\'s opening notices first, as the WebSocket does', async () => {
    const engine = openEngine();
    // The metrics port of these settings is taken (by this host's own port): the host says so, and goes on.
    const { host } = await startTestHost({ engine });
    const taken = await startTestHost({ engine: openEngine({ settings: { metricsPort: host.port } }) });
    expect(taken.host.metricsPort).toBeNull();
    const stream = await open(taken.host.port, '?events=engine.notice');
    const notice = await stream.waitForEvent('engine.notice', (p) => p.message.includes(`metrics port ${host.port}`));
    expect(notice).toMatchObject({ level: 'warning', message: expect.stringContaining('already in use') });
  });
});

describe('a slow event-stream client, under the WebSocket\'s flow control', () => {
  it('gets every job change, a marker where output was skipped, and a notice, once it reads again', async () => {
    // The engine's own live cap would keep this flood small; lift it so the host's flow control is what acts.
    const engine = openEngine({ settings: { liveLogBytesPerSecond: 256 * 1024 * 1024 } });
    const { host } = await startTestHost({
      engine,
      flowLimits: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, hopelessBytes: 1024 * 1024 * 1024, pollMs: 20, noticeIntervalMs: 0 },
    });
    const slow = await open(host.port);
    slow.response.pause();
    const { job } = await apiCall(host.port, 'jobs.start', { spec: { command: { kind: 'argv', program: 'yes', args: ['b'.repeat(200)] } } });
    // The flood runs until the host is seen skipping output for the stream that stopped reading.
    await waitFor(() => host.eventStreamBacklogs()[0]?.congested, 'the host to skip live output for the stream that stopped reading', 120_000);
    await apiCall(host.port, 'jobs.stop', { jobId: job.id });
    slow.response.resume();

    await slow.waitForEvent('jobs.changed', ended(job.id), 60_000);
    const marker = await slow.waitForEvent('logs.appended', logged(job.id, 'connection could not keep up'), 60_000);
    expect(marker.batches.find((b) => b.jobId === job.id)?.chunks[0]).toMatchObject({ stream: 'system', text: expect.stringMatching(/\d+(\.\d)? (MiB|KiB|bytes) of output not shown live/) });
    const notice = await slow.waitForEvent('engine.notice', (p) => p.level === 'warning' && p.message.includes('skipped'), 60_000);
    expect(notice.message).toContain('live log output');
    expect(slow.closed).toBe(false);
  }, 300_000);

  it('is disconnected once it has stopped reading for good, and nobody else is affected', async () => {
    const engine = openEngine({ settings: { liveLogBytesPerSecond: 256 * 1024 * 1024 } });
    // Nothing is skipped before the hopeless mark: the backlog can only grow until the client is cut off.
    const { host } = await startTestHost({
      engine,
      flowLimits: { highWaterBytes: 1024 * 1024 * 1024, lowWaterBytes: 1024, hopelessBytes: 2 * 1024 * 1024, pollMs: 20, noticeIntervalMs: 0 },
    });
    const stuck = await open(host.port, '?events=logs.appended');
    stuck.response.pause();
    const reader = await open(host.port, '?events=jobs.changed');
    const { job } = await apiCall(host.port, 'jobs.start', { spec: { command: { kind: 'argv', program: 'yes', args: ['c'.repeat(200)] } } });
    await waitFor(() => host.eventStreamBacklogs().length === 1, 'the stuck stream to be cut off', 120_000);
    // What the kernel still holds for it arrives once it reads again, then the end.
    stuck.response.resume();
    await waitFor(() => stuck.closed, 'the stuck client to see its stream end', 60_000);
    await apiCall(host.port, 'jobs.stop', { jobId: job.id });
    await reader.waitForEvent('jobs.changed', ended(job.id), 60_000);
    expect(reader.closed).toBe(false);
    expect((await apiCall(host.port, 'engine.info', {})).host).toBe('browser');
  }, 300_000);
});
