import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MAX_REQUEST_LINE_BYTES } from '../../electron/host/localEndpoint/protocol';
import { closeEngines, waitFor } from '../engine/helpers';
import { closeEndpoints, RawLocalClient, startEndpoint } from './localEndpointHelpers';

afterEach(closeEndpoints);
afterAll(closeEngines);

/** One of each kind of garbage a confused or hostile client might send, cycled; each is one line. */
function malformedLine(i: number): string {
  const kinds = [
    () => '{not json',
    () => 'null',
    () => '[1,2,3]',
    () => '"invoke"',
    () => JSON.stringify({ type: 'invoke' }),
    () => JSON.stringify({ type: 'upgrade', id: i }),
    () => JSON.stringify({ type: 'invoke', id: -1, name: 'jobs.list', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: 'seven', name: 'jobs.list', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 42, request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.nuke', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: '__proto__', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'constructor', request: {} }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'shell', script: '' } } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'argv', program: 'a\u0000b' } } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'shell', script: 'true' }, timeoutMs: -5 } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: { spec: { command: { kind: 'shell', script: 'true' }, env: { set: { 'A=B': 'x' } } } } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.start', request: 'not an object' }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.kill', request: { jobId: 7 } }),
    () => JSON.stringify({ type: 'invoke', id: i, name: 'jobs.signal', request: { jobId: 'x', signal: 'SIGBOGUS' } }),
    () => JSON.stringify({ type: 'subscribe', id: i, events: ['jobs.changed', 'everything'] }),
    () => JSON.stringify({ type: 'subscribe', id: i, events: 'jobs.changed' }),
    () => '\u0000\u0001\u0002',
    () => '{"type":"invoke","id":1,"name":"jobs.list","request":{}}}',
  ];
  return kinds[i % kinds.length]!();
}

const errorCodes = ['INVALID_REQUEST', 'UNKNOWN_COMMAND', 'NOT_FOUND', 'INVALID_SIGNAL'];

describe('the local endpoint under hostile input', () => {
  it('answers every malformed line with an error naming what was wrong, and keeps serving', async () => {
    const { endpoint, engine } = await startEndpoint();
    const client = await RawLocalClient.connect(endpoint.path);
    const count = 2000;
    // In one write, and with blank lines, CRLFs and invalid UTF-8 among them: framing must hold.
    const lines = Array.from({ length: count }, (_, i) => malformedLine(i));
    client.write(`${lines.join('\n')}\n\n   \r\n`);
    client.write(Buffer.concat([Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('\n')]));
    await waitFor(() => client.results().length >= count + 1, () => `${count + 1} answers (have ${client.results().length})`);

    const results = client.results();
    expect(results).toHaveLength(count + 1);
    for (const { result } of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(errorCodes).toContain(result.error.code);
        expect(result.error.message.length).toBeGreaterThan(0);
      }
    }
    // A line with a usable id is answered under it; the rest under null.
    expect(results.filter((r) => r.id === null).length).toBeGreaterThan(0);
    expect(results.filter((r) => r.id !== null).length).toBeGreaterThan(0);
    expect(results.find((r) => !r.result.ok && r.result.error.message.includes('jobs.nuke'))?.result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(results.find((r) => !r.result.ok && r.result.error.message.includes('"everything"'))?.result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'unknown event "everything"' },
    });

    client.write(`${JSON.stringify({ type: 'invoke', id: 99_999, name: 'jobs.list', request: {} })}\n`);
    const list = await client.waitFor((m) => m.type === 'result' && m.id === 99_999, 'the answer to a good request');
    expect(list).toEqual({ type: 'result', id: 99_999, result: { ok: true, value: { jobs: [], queue: [] } } });
    expect(engine.jobs.list()).toEqual([]);
  });

  it('answers a line beyond the size limit with an error, skips it to its newline, and keeps the connection', async () => {
    const { endpoint } = await startEndpoint();
    const client = await RawLocalClient.connect(endpoint.path);
    // Three times the limit, in pieces, before its newline: never held whole.
    const piece = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < (3 * MAX_REQUEST_LINE_BYTES) / piece.length; i++) client.write(piece);
    client.write(`\n${JSON.stringify({ type: 'invoke', id: 1, name: 'jobs.list', request: {} })}\n`);
    await waitFor(() => client.results().length >= 2, 'two answers');
    expect(client.results()[0]).toMatchObject({ id: null, result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining(`larger than the limit of ${MAX_REQUEST_LINE_BYTES} bytes`) } } });
    expect(client.results()[1]).toMatchObject({ id: 1, result: { ok: true } });
    expect(client.closed).toBe(false);
  });

  it('stops reading a client that floods requests without reading the answers, and serves the others', async () => {
    const { endpoint } = await startEndpoint();
    const flooder = await RawLocalClient.connect(endpoint.path);
    flooder.socket.pause();
    const request = `${JSON.stringify({ type: 'invoke', id: 1, name: 'jobs.list', request: {} })}\n`;
    const batch = request.repeat(10_000);
    for (let i = 0; i < 40; i++) flooder.socket.write(batch); // ~24 MB of requests, ~24 MB of answers
    const viewer = () => endpoint.backlogs().find((b) => b.bufferedBytes > 0);
    await waitFor(() => (viewer()?.bufferedBytes ?? 0) > 1024 * 1024, 'answers to pile up for the flooder');
    const bystander = await RawLocalClient.connect(endpoint.path);
    bystander.write(request);
    await bystander.waitFor((m) => m.type === 'result' && m.id === 1, 'the bystander’s answer');
    // The host stopped reading the flooder at its high-water mark instead of answering all of it.
    expect(viewer()!.bufferedBytes).toBeLessThan(8 * 1024 * 1024);
    expect(flooder.socket.writableLength).toBeGreaterThan(0);
    flooder.close();
  });
});
