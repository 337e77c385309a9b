import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineClient, type ContractEvent } from '../../electron/cli/engineClient';
import type { CommandName, CommandResponse } from '../../shared/contract';
import { isActive } from '../../shared/jobState';
import { closeEngines, openEngine, waitFor } from '../engine/helpers';
import { freshDataDir, startHostChild, stopHostChildren } from '../web/hostChild';
import { closeEndpoints, startEndpoint } from './localEndpointHelpers';

const clients: EngineClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await closeEndpoints();
  await stopHostChildren();
});
afterAll(closeEngines);

const connectClient = async (dataDir: string) => {
  const client = await EngineClient.connect(dataDir);
  clients.push(client);
  return client;
};

/** An answer within `ms`, or a failure saying the host did not answer: a stalled host must fail the test, not hang it. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the host did not answer ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const FLOOD = { kind: 'argv' as const, program: 'yes', args: ['a'.repeat(200)] };
const ended = (jobId: string) => (event: ContractEvent) => event.name === 'jobs.changed' && event.payload.jobs.some((j) => j.id === jobId && !isActive(j.state) && j.state !== 'queued');

describe('a CLI client that stops reading while a job floods its log', () => {
  it('never stalls the host, which answers everyone else meanwhile; once it reads again it gets the job’s end', async () => {
    const dataDir = freshDataDir();
    // The engine's own live cap would keep this flood small; lift it so the host's flow control is what acts.
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ liveLogBytesPerSecond: 256 * 1024 * 1024 }));
    await startHostChild({ dataDir });
    const reader = await connectClient(dataDir);
    const seen: ContractEvent[] = [];
    await reader.subscribe(['jobs.changed', 'logs.appended'], (event) => seen.push(event));
    reader.pauseReading();

    const other = await connectClient(dataDir);
    const invoke = <N extends CommandName>(name: N, request: Parameters<typeof other.invoke<N>>[1]): Promise<CommandResponse<N>> => within(20_000, name, other.invoke(name, request));
    const { job } = await invoke('jobs.start', { spec: { command: FLOOD } });
    // Megabytes of it go out live, far more than the kernel's socket buffers hold for the
    // client that is not reading: a host that blocked on writing to it would answer no one.
    await waitFor(async () => (await invoke('jobs.list', {})).jobs.find((j) => j.id === job.id)!.outputBytes > 96 * 1024 * 1024, 'the flood to pass 96 MiB', 120_000);
    await invoke('jobs.stop', { jobId: job.id });
    await waitFor(async () => !isActive((await invoke('jobs.list', {})).jobs.find((j) => j.id === job.id)!.state), 'the flood job to end', 60_000);

    reader.resumeReading();
    await waitFor(() => seen.some(ended(job.id)), 'the reader to get the job’s end', 60_000);
    expect(seen.some((e) => e.name === 'logs.appended' && e.payload.batches.some((b) => b.jobId === job.id))).toBe(true);
    expect(await within(20_000, 'jobs.list', reader.invoke('jobs.list', {}))).toMatchObject({ jobs: [expect.objectContaining({ id: job.id })] });
  }, 300_000);

  it('gets a marker where its live output was skipped, and a notice, once it reads again', async () => {
    const engine = openEngine({ settings: { liveLogBytesPerSecond: 256 * 1024 * 1024 } });
    const { dataDir, endpoint } = await startEndpoint({
      engine,
      flowLimits: { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, hopelessBytes: 1024 ** 3, pollMs: 20, noticeIntervalMs: 0 },
    });
    const reader = await connectClient(dataDir);
    const seen: ContractEvent[] = [];
    await reader.subscribe(['jobs.changed', 'logs.appended', 'engine.notice'], (event) => seen.push(event));
    reader.pauseReading();
    const other = await connectClient(dataDir);
    // A flood with no end of its own, so it outlasts the kernel's buffers on any machine: it
    // runs until the host has been seen skipping output for the client that stopped reading.
    const { job } = await other.invoke('jobs.start', { spec: { command: FLOOD } });
    await waitFor(() => endpoint.backlogs().some((b) => b.congested), 'the host to skip live output for the client that stopped reading', 120_000);
    await other.invoke('jobs.stop', { jobId: job.id });
    await waitFor(async () => !isActive((await other.invoke('jobs.list', {})).jobs[0]!.state), 'the flood job to end', 60_000);
    reader.resumeReading();

    // Job changes are never skipped: the end arrives, then the gap is marked and announced.
    await waitFor(() => seen.some(ended(job.id)), 'the reader to get the job’s end', 60_000);
    const marker = await waitFor(
      () =>
        seen
          .flatMap((e) => (e.name === 'logs.appended' ? e.payload.batches : []))
          .flatMap((b) => (b.jobId === job.id ? b.chunks : []))
          .find((c) => c.stream === 'system' && c.text.includes('connection could not keep up')),
      'the marker where output was skipped',
      60_000,
    );
    expect(marker.text).toMatch(/\d+(\.\d)? (MiB|KiB|bytes) of output not shown live/);
    await waitFor(() => seen.find((e) => e.name === 'engine.notice' && e.payload.message.includes('skipped')), 'the notice', 60_000);
    expect(await reader.invoke('jobs.list', {})).toMatchObject({ jobs: [expect.objectContaining({ id: job.id })] });
  }, 300_000);

  it('is disconnected once what is buffered for it passes the limit; the others go on', async () => {
    const engine = openEngine({ settings: { liveLogBytesPerSecond: 256 * 1024 * 1024 } });
    const { dataDir, endpoint } = await startEndpoint({
      engine,
      // Nothing skipped, so the backlog grows until the cut-off.
      flowLimits: { highWaterBytes: 1024 ** 3, lowWaterBytes: 1024 ** 3, hopelessBytes: 2 * 1024 * 1024, pollMs: 20, noticeIntervalMs: 0 },
    });
    const reader = await connectClient(dataDir);
    await reader.subscribe(['logs.appended'], () => undefined);
    reader.pauseReading();
    let closedWith: string | undefined;
    reader.onClose((reason) => (closedWith = reason));
    const other = await connectClient(dataDir);
    const { job } = await other.invoke('jobs.start', { spec: { command: FLOOD } });
    await waitFor(() => endpoint.clientCount === 1, 'the host to drop the client that does not read', 120_000);
    expect((await other.invoke('jobs.list', {})).jobs).toHaveLength(1);
    await other.invoke('jobs.stop', { jobId: job.id });
    reader.resumeReading();
    await waitFor(() => closedWith, 'the dropped client to see its connection closed');
    expect(await other.invoke('jobs.list', {})).toMatchObject({ jobs: [expect.objectContaining({ id: job.id })] });
  }, 300_000);
});
