import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import { closeEngines, openEngine, waitFor } from '../engine/helpers';
import { killOutside, sleepToken, startOutside } from '../engine/monitor/outsideProcesses';
import { readFileSync } from 'node:fs';
import { closeHosts, removeFakeRenderers, startTestHost, TestClient } from './helpers';

afterEach(async () => {
  await closeHosts();
  await killOutside();
});
afterAll(closeEngines);
afterAll(removeFakeRenderers);

type Tick = EventPayload<'monitor.tick'>;

const procFile = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return '';
  }
};
const residentKiB = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(procFile(pid, 'status'))?.[1] ?? 0);

/** The process lists a client has received so far, as pid orders. */
function listsOf(client: TestClient): number[][] {
  return client.messages
    .filter((m) => m.type === 'event' && m.name === 'monitor.tick')
    .map((m) => (m as { payload: Tick }).payload.processes)
    .filter((list) => list !== undefined)
    .map((list) => list.processes.map((p) => p.pid));
}

describe('system view: one lease and one query per client', () => {
  it('sends each client the list of its own query, and keeps one list coming when the other client closes its view', async () => {
    const token = sleepToken(3006);
    const small = startOutside('sleep', [token]);
    const large = startOutside(process.execPath, ['-e', 'const b = Buffer.alloc(64 * 1024 * 1024, 1); setInterval(() => b[0]++, 1000);', `sleep ${token}`]);
    // Both exec'd (their command lines name the token, what the filter matches), the large one with its 64 MiB resident.
    await waitFor(() => procFile(small.pid, 'cmdline').includes(token) && procFile(large.pid, 'cmdline').includes(token), 'both processes to exec');
    await waitFor(() => residentKiB(large.pid) > 64 * 1024, 'the large process to touch its 64 MiB');
    const engine = openEngine({ settings: { sampleIntervalMs: 200 } });
    const { host } = await startTestHost({ engine });
    const a = await TestClient.connect(host.port);
    const b = await TestClient.connect(host.port);

    expect(await a.invoke('system.view', { visible: true, processes: { filter: token, sort: 'memory', descending: true } })).toEqual({ ok: true, value: {} });
    expect(await b.invoke('system.view', { visible: true, processes: { filter: token, sort: 'memory', descending: false } })).toEqual({ ok: true, value: {} });
    await a.waitUntil(() => (listsOf(a).length >= 3 ? true : undefined), 'three lists for a');
    await b.waitUntil(() => (listsOf(b).length >= 3 ? true : undefined), 'three lists for b');
    // Until b's view opened a may have had its list alone; from then on each got only its own order.
    const aLists = listsOf(a);
    const bLists = listsOf(b);
    expect(aLists).toEqual(aLists.map(() => [large.pid, small.pid]));
    expect(bLists).toEqual(bLists.map(() => [small.pid, large.pid]));

    expect((await a.invoke('system.view', { visible: false })).ok).toBe(true);
    const aHad = listsOf(a).length;
    const bHad = listsOf(b).length;
    await b.waitUntil(() => (listsOf(b).length >= bHad + 3 ? true : undefined), 'b still getting lists');
    // At most a tick that was already on its way when a closed.
    expect(listsOf(a).length).toBeLessThanOrEqual(aHad + 1);
    const bLater = listsOf(b).slice(bHad);
    expect(bLater).toEqual(bLater.map(() => [small.pid, large.pid]));
    expect(engine.monitor.needsTicks()).toBe(true);

    // A client that goes away without closing its view ends its lease at once.
    b.close();
    await waitFor(() => !engine.monitor.needsTicks(), 'the last lease ended with its connection');
    a.close();
  });

  it('parses every system.view request with its schema', async () => {
    const { host } = await startTestHost();
    const client = await TestClient.connect(host.port);
    const refused = await client.invoke('system.view', { visible: true, processes: { sort: 'bogus' } } as never);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    client.close();
  });
});
