import { spawn } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import { closeEngines, openEngine, waitFor } from '../engine/helpers';
import { closeHosts, removeFakeRenderers, startTestHost, TestClient } from './helpers';
import { SseClient } from './sseClient';

const streams: SseClient[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await closeHosts();
});
afterAll(closeEngines);
afterAll(removeFakeRenderers);

const systemTicks = (client: TestClient) => client.messages.filter((m) => m.type === 'event' && m.name === 'system.tick').length;

describe('system.tick goes to the viewers that show the machine', () => {
  it('is sent to a tab only while its system view is open, also while jobs run, and from the next tick once it opens', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const { host } = await startTestHost({ engine });
    const showing = await TestClient.connect(host.port);
    const other = await TestClient.connect(host.port);

    // A stats-only view (the CPU tab), no process list.
    expect((await showing.invoke('system.view', { visible: true })).ok).toBe(true);
    await showing.waitUntil(() => (systemTicks(showing) >= 3 ? true : undefined), 'three system ticks for the tab showing the machine');
    // A running job has its figures measured each tick (least-loaded pinning): still not sent to a tab not showing them.
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 30' } });
    await waitFor(() => engine.jobs.get(job.id).state === 'running', 'the job to run');
    const had = systemTicks(showing);
    await showing.waitUntil(() => (systemTicks(showing) >= had + 3 ? true : undefined), 'three more with the job running');
    expect(systemTicks(other)).toBe(0);

    // The other tab opens its view: it gets the figures within a tick or two of the one already showing them.
    expect((await other.invoke('system.view', { visible: true })).ok).toBe(true);
    const before = systemTicks(showing);
    await other.waitUntil(() => (systemTicks(other) >= 1 ? true : undefined), 'a system tick once its view is open');
    expect(systemTicks(showing) - before).toBeLessThanOrEqual(2);

    // Closing the view stops them again (at most a tick that was already on its way).
    expect((await other.invoke('system.view', { visible: false })).ok).toBe(true);
    const closedAt = systemTicks(other);
    const showingAt = systemTicks(showing);
    await showing.waitUntil(() => (systemTicks(showing) >= showingAt + 3 ? true : undefined), 'three more for the tab still showing');
    expect(systemTicks(other)).toBeLessThanOrEqual(closedAt + 1);
    engine.jobs.stop(job.id);
    showing.close();
    other.close();
  });

  it('is measured and sent to an event stream that asked for it, with no view open and no job', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const { host } = await startTestHost({ engine });
    const tab = await TestClient.connect(host.port);
    // With nothing to sample the loop pauses: the stream's opening must wake it.
    await waitFor(() => !engine.samplingActive, 'the idle sampling loop to pause');
    const stream = await SseClient.open(host.port, '?events=system.tick');
    streams.push(stream);
    const first = await stream.waitForEvent('system.tick', () => true);
    expect(first.memory.total).toBeGreaterThan(0);
    await stream.waitForEvent('system.tick', (tick) => tick.at > first.at);
    expect(systemTicks(tab)).toBe(0);
    tab.close();
  });

  it('is not measured with no one to show it to, while an alert on a watched process still fires', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const system: EventPayload<'system.tick'>[] = [];
    engine.events.on('system.tick', (tick) => system.push(tick));
    const outsider = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      const row = await waitFor(() => engine.monitor.systemProcesses({ filter: 'sleep 300' }).processes.find((p) => p.pid === outsider.pid), 'the outside process listed');
      const watched = engine.monitor.watch({ pid: outsider.pid!, startTime: row.startTime });
      engine.monitor.setAlertRules(watched.id, [{ id: 'any', kind: 'memory', bytes: 1, forSeconds: 0, action: 'notify' }]);
      await waitFor(() => (engine.monitor.alertHistory(watched.id).length > 0 ? true : undefined), 'the watched process to fire its alert');
      expect(system).toEqual([]);
      // Least-loaded pinning still reads a per-core load when no tick measured it.
      expect(engine.monitor.coreLoad.length).toBeGreaterThan(0);
    } finally {
      outsider.kill();
    }
  });
});
