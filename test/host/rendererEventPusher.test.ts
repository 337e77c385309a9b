import { describe, expect, it } from 'vitest';
import { RendererEventPusher } from '../../electron/main/rendererEventPusher';
import { IPC_CHANNELS } from '../../electron/preload/channels';

function fakeContents() {
  const sent: unknown[][] = [];
  return { sent, destroyed: false, send: (...args: unknown[]) => sent.push(args), isDestroyed() { return this.destroyed; } };
}

describe('pushing events to the window', () => {
  it('holds events until the page is ready, welcome events first', () => {
    const contents = fakeContents();
    const pusher = new RendererEventPusher(contents, () => [{ name: 'engine.notice', payload: { level: 'warning', message: 'jobs.json was unreadable' } }]);
    pusher.push('jobs.changed', { jobs: [] });
    expect(contents.sent).toEqual([]);
    pusher.rendererReady();
    expect(contents.sent.map((args) => [args[0], args[1]])).toEqual([
      [IPC_CHANNELS.event, 'engine.notice'],
      [IPC_CHANNELS.event, 'jobs.changed'],
    ]);
    pusher.push('jobs.removed', { jobIds: ['a'] });
    expect(contents.sent.at(-1)).toEqual([IPC_CHANNELS.event, 'jobs.removed', { jobIds: ['a'] }]);
  });

  it('starts over on reload, and bounds the queue by dropping log output first', () => {
    const contents = fakeContents();
    const pusher = new RendererEventPusher(contents, () => [], 3);
    pusher.rendererReady();
    pusher.rendererGone();
    pusher.push('logs.appended', { batches: [] });
    pusher.push('jobs.changed', { jobs: [] });
    pusher.push('logs.appended', { batches: [] });
    pusher.push('jobs.changed', { jobs: [] });
    expect(pusher.queued).toBe(3);
    pusher.rendererReady();
    expect(contents.sent.map((args) => args[1])).toEqual(['jobs.changed', 'logs.appended', 'jobs.changed']);
  });

  it('holds no sample ticks while the page loads, and sends the first one after it whole', () => {
    const contents = fakeContents();
    const pusher = new RendererEventPusher(contents, () => []);
    const a = { jobId: 'a', cpu: 1, rss: 10, processes: 1 };
    const b = { jobId: 'b', cpu: 2, rss: 20, processes: 1 };
    const ticks = () => contents.sent.filter((args) => args[1] === 'samples.tick').map((args) => args[2]);
    pusher.push('samples.tick', { at: 1, samples: [a, b] }, () => ({ at: 1, samples: [a, b], full: true }));
    expect(pusher.queued).toBe(0);
    pusher.rendererReady();
    expect(ticks()).toEqual([]);
    pusher.push('samples.tick', { at: 2, samples: [] }, () => ({ at: 2, samples: [a, b], full: true }));
    pusher.push('samples.tick', { at: 3, samples: [{ ...a, cpu: 3 }] }, () => ({ at: 3, samples: [{ ...a, cpu: 3 }, b], full: true }));
    expect(ticks()).toEqual([{ at: 2, samples: [a, b], full: true }, { at: 3, samples: [{ ...a, cpu: 3 }] }]);

    // A reload misses the ticks while the new page loads: its first one is whole again.
    pusher.rendererGone();
    pusher.push('samples.tick', { at: 4, samples: [], gone: ['a'] }, () => ({ at: 4, samples: [b], full: true }));
    pusher.rendererReady();
    pusher.push('samples.tick', { at: 5, samples: [] }, () => ({ at: 5, samples: [b], full: true }));
    expect(ticks().slice(2)).toEqual([{ at: 5, samples: [b], full: true }]);
  });

  it('sends nothing to a destroyed window', () => {
    const contents = fakeContents();
    const pusher = new RendererEventPusher(contents, () => []);
    pusher.rendererReady();
    contents.destroyed = true;
    pusher.push('jobs.changed', { jobs: [] });
    expect(contents.sent).toEqual([]);
  });
});
