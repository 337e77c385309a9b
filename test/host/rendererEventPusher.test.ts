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
    pusher.push('samples.tick', { at: 1, samples: [] });
    pusher.push('jobs.changed', { jobs: [] });
    expect(pusher.queued).toBe(3);
    pusher.rendererReady();
    expect(contents.sent.map((args) => args[1])).toEqual(['jobs.changed', 'samples.tick', 'jobs.changed']);
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
