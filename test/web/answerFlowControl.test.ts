import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeEngines, openEngine, waitFor, waitForState } from '../engine/helpers';
import { closeHosts, removeFakeRenderers, startTestHost, TestClient } from './helpers';

afterEach(closeHosts);
afterAll(closeEngines);
afterAll(removeFakeRenderers);

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** The most the kernel may hold for one loopback connection: the receiver's buffer plus the sender's (autotuning maxima). */
function kernelSocketBufferMax(): number {
  const max = (file: string) => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
  return max('/proc/sys/net/ipv4/tcp_rmem') + max('/proc/sys/net/ipv4/tcp_wmem');
}

describe('answers under flow control', () => {
  it('cuts off a client that asks for 1 MiB log tails and never reads, holding at most its budget for it', async () => {
    const hopelessBytes = 8 * MiB;
    // Live output uncapped, so the run's tail fills up to its 1 MiB (tailMaxBytes).
    const engine = openEngine({ settings: { liveLogBytesPerSecond: 256 * MiB } });
    const { host } = await startTestHost({ engine, flowLimits: { highWaterBytes: MiB, lowWaterBytes: MiB / 4, hopelessBytes, pollMs: 20, noticeIntervalMs: 0 } });
    const reader = await TestClient.connect(host.port);
    const started = await reader.invoke('jobs.start', { spec: { command: { kind: 'shell', script: "head -c 2097152 /dev/zero | tr '\\0' a" } } });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = started.value.job.id;
    await waitForState(engine, jobId, 'exited');
    const tail = await reader.invoke('logs.tail', { jobId });
    const answerBytes = JSON.stringify({ type: 'result', id: 1, result: tail }).length;
    expect(answerBytes).toBeGreaterThan(0.9 * MiB);

    // Enough requests by construction: twice what fills the kernel's buffers and then the budget.
    const requests = Math.ceil((2 * (kernelSocketBufferMax() + hopelessBytes)) / answerBytes);
    const reckless = await TestClient.connect(host.port);
    const { viewer } = host.backlogs().at(-1)!;
    reckless.socket.pause();
    const rssBefore = process.memoryUsage().rss;
    for (let id = 1; id <= requests; id++) reckless.sendRaw(JSON.stringify({ type: 'invoke', id, name: 'logs.tail', request: { jobId } }));

    let peakBuffered = 0;
    let peakRss = rssBefore;
    try {
      await waitFor(
        () => {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          const backlog = host.backlogs().find((b) => b.viewer === viewer);
          if (backlog) peakBuffered = Math.max(peakBuffered, backlog.bufferedBytes);
          return backlog === undefined;
        },
        'the client that never reads to be cut off',
        60_000,
      );
    } finally {
      console.log(
        `[figures] ${requests} logs.tail of ${mib(answerBytes)} to a client that never reads: server buffered at most ${mib(peakBuffered)} ` +
          `for it (budget ${mib(hopelessBytes)}); RSS ${mib(rssBefore)} before, ${mib(peakRss)} at the peak (+${mib(peakRss - rssBefore)})`,
      );
    }
    expect(peakBuffered).toBeLessThanOrEqual(hopelessBytes);
    // The others are served as before.
    expect(await reader.invoke('jobs.list', {})).toMatchObject({ ok: true });
    expect(host.clientCount).toBe(1);
    reckless.close();
    reader.close();
  }, 120_000);
});
