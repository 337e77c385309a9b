import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract';
import { ClientEventStream, eventMessage, type EventSink, type FlowLimits } from '../../electron/web/clientEventStream';

const limits: FlowLimits = { highWaterBytes: 1000, lowWaterBytes: 100, hopelessBytes: 100_000, pollMs: 10, noticeIntervalMs: 60_000 };

/** A socket whose backlog the test sets by hand. */
class FakeSink implements EventSink {
  bufferedAmount = 0;
  sent: { type: string; name: EventName; payload: unknown }[] = [];
  closed?: number;
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close(code: number) {
    this.closed = code;
  }
  names() {
    return this.sent.map((m) => m.name);
  }
}

const push = <E extends EventName>(stream: ClientEventStream, name: E, payload: EventPayload<E>) => stream.push(name, payload, eventMessage(name, payload));
const logs = (jobId: string, text: string): EventPayload<'logs.appended'> => ({ batches: [{ jobId, runId: `${jobId}-r1`, chunks: [{ stream: 'stdout', text }] }] });
const jobsChanged = { jobs: [] } satisfies EventPayload<'jobs.changed'>;

afterEach(() => vi.useRealTimers());

describe('per-client flow control', () => {
  it('sends everything while the client keeps up', () => {
    const sink = new FakeSink();
    const stream = new ClientEventStream(sink, limits);
    push(stream, 'logs.appended', logs('a', 'hello'));
    push(stream, 'samples.tick', { at: 1, samples: [] });
    push(stream, 'jobs.changed', jobsChanged);
    expect(sink.names()).toEqual(['logs.appended', 'samples.tick', 'jobs.changed']);
    expect(stream.isCongested).toBe(false);
  });

  it('skips logs and samples (never job changes) while backed up, then marks the gap and says so once', () => {
    vi.useFakeTimers();
    const sink = new FakeSink();
    const stream = new ClientEventStream(sink, limits);
    sink.bufferedAmount = 5000;
    push(stream, 'logs.appended', logs('a', 'x'.repeat(300)));
    push(stream, 'samples.tick', { at: 1, samples: [] });
    push(stream, 'jobs.changed', jobsChanged);
    push(stream, 'jobs.removed', { jobIds: ['z'] });
    push(stream, 'logs.appended', logs('b', 'é'.repeat(10)));
    expect(sink.names()).toEqual(['jobs.changed', 'jobs.removed']);
    expect(stream.isCongested).toBe(true);

    // Still above low water: keeps skipping even below high water (hysteresis).
    sink.bufferedAmount = 500;
    vi.advanceTimersByTime(50);
    push(stream, 'logs.appended', logs('a', 'y'.repeat(200)));
    expect(sink.names()).toEqual(['jobs.changed', 'jobs.removed']);

    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(20);
    expect(stream.isCongested).toBe(false);
    const [marker, notice] = sink.sent.slice(2);
    expect(marker?.name).toBe('logs.appended');
    const batches = (marker?.payload as EventPayload<'logs.appended'>).batches;
    expect(batches.map((b) => [b.jobId, b.runId, b.chunks[0]?.stream])).toEqual([
      ['a', 'a-r1', 'system'],
      ['b', 'b-r1', 'system'],
    ]);
    expect(batches[0]?.chunks[0]?.text).toContain('500 B of output');
    expect(batches[1]?.chunks[0]?.text).toContain('20 B of output');
    expect(notice).toMatchObject({ name: 'engine.notice', payload: { level: 'warning', message: expect.stringContaining('2 job(s)') } });

    // Flowing again.
    push(stream, 'logs.appended', logs('a', 'z'));
    expect(sink.sent.at(-1)?.name).toBe('logs.appended');

    // A second episode soon after gets its marker but no second notice.
    sink.bufferedAmount = 5000;
    push(stream, 'logs.appended', logs('a', 'w'));
    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(20);
    expect(sink.names().filter((n) => n === 'engine.notice')).toHaveLength(1);
    stream.dispose();
  });

  it('sends a client its first sample tick whole, then changes, and whole again after one it skipped', () => {
    vi.useFakeTimers();
    const sink = new FakeSink();
    const stream = new ClientEventStream(sink, limits);
    // What the engine knows at each tick (the whole) and what changed since the tick before.
    const a = { jobId: 'a', cpu: 0, rss: 100, processes: 1 };
    const b = { jobId: 'b', cpu: 5, rss: 200, processes: 1 };
    const tick = (change: EventPayload<'samples.tick'>, whole: EventPayload<'samples.tick'>) =>
      stream.push('samples.tick', change, eventMessage('samples.tick', change), () => eventMessage('samples.tick', whole));
    const sentTicks = () => sink.sent.filter((m) => m.name === 'samples.tick').map((m) => m.payload);

    tick({ at: 1, samples: [{ ...b, cpu: 6 }] }, { at: 1, samples: [a, { ...b, cpu: 6 }], full: true });
    tick({ at: 2, samples: [] }, { at: 2, samples: [a, { ...b, cpu: 6 }], full: true });
    expect(sentTicks()).toEqual([
      { at: 1, samples: [a, { ...b, cpu: 6 }], full: true },
      { at: 2, samples: [] },
    ]);

    // Backed up: the change of tick 3 (b moved, a is gone) is skipped...
    sink.bufferedAmount = 5000;
    tick({ at: 3, samples: [{ ...b, cpu: 7 }], gone: ['a'] }, { at: 3, samples: [{ ...b, cpu: 7 }], full: true });
    expect(sentTicks()).toHaveLength(2);
    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(20);
    expect(stream.isCongested).toBe(false);
    // ...so tick 4, which changed nothing, goes out whole: the client learns of both.
    tick({ at: 4, samples: [] }, { at: 4, samples: [{ ...b, cpu: 7 }], full: true });
    tick({ at: 5, samples: [] }, { at: 5, samples: [{ ...b, cpu: 7 }], full: true });
    expect(sentTicks().slice(2)).toEqual([{ at: 4, samples: [{ ...b, cpu: 7 }], full: true }, { at: 5, samples: [] }]);

    // Ticks it was not pushed (a local client that had not subscribed to them) count as missed too.
    stream.samplesMissed();
    tick({ at: 6, samples: [] }, { at: 6, samples: [{ ...b, cpu: 7 }], full: true });
    expect(sentTicks().at(-1)).toEqual({ at: 6, samples: [{ ...b, cpu: 7 }], full: true });
    stream.dispose();
  });

  it('disconnects a client that has stopped reading altogether', () => {
    const sink = new FakeSink();
    const stream = new ClientEventStream(sink, limits);
    sink.bufferedAmount = 200_000;
    push(stream, 'jobs.changed', jobsChanged);
    expect(sink.closed).toBe(1013);
    expect(sink.sent).toEqual([]);
  });

  it('sends answers even while congested, but counts them against the same budget, and sends nothing once cut off', () => {
    const sink = new FakeSink();
    const stream = new ClientEventStream(sink, limits);
    sink.bufferedAmount = 5000;
    const answer = (id: number, size: number) => JSON.stringify({ type: 'result', id, result: { ok: true, value: { pad: 'x'.repeat(size) } } });
    expect(stream.reply(answer(1, 10))).toBe(true);
    expect(sink.sent).toHaveLength(1);
    // One that would take the backlog past hopelessBytes is not sent: the client is cut off.
    expect(stream.reply(answer(2, limits.hopelessBytes))).toBe(false);
    expect(sink.closed).toBe(1013);
    expect(stream.isCutOff).toBe(true);
    sink.bufferedAmount = 0;
    expect(stream.reply(answer(3, 10))).toBe(false);
    push(stream, 'jobs.changed', jobsChanged);
    expect(sink.sent).toHaveLength(1);
  });
});
