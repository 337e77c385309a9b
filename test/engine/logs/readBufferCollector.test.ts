import { constants, PerformanceObserver } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The collector takes `gc` as the process started (with --expose-gc, or not): each case loads it afresh.
const load = () => import('../../../electron/engine/logs/readBufferCollector');

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the read buffer collector', () => {
  it('asks for a young-generation collection once per COLLECT_EVERY_BYTES of output read', async () => {
    const calls: unknown[] = [];
    vi.stubGlobal('gc', (options: unknown) => calls.push(options));
    const { outputRead, COLLECT_EVERY_BYTES } = await load();
    const read = 64 * 1024;
    const reads = (3 * COLLECT_EVERY_BYTES) / read + 1;
    for (let i = 0; i < reads; i++) outputRead(read);
    expect(calls).toEqual([{ type: 'minor' }, { type: 'minor' }, { type: 'minor' }]);
  });

  it('has a collector without --expose-gc too (the Electron main process is started without it), and a collection it asks for runs', async () => {
    vi.stubGlobal('gc', undefined);
    const { outputRead, collectsYoung, COLLECT_EVERY_BYTES } = await load();
    expect(collectsYoung).toBe(true);
    const minorCollection = new Promise<void>((resolve) => {
      const observer = new PerformanceObserver((list) => {
        if (list.getEntries().some((entry) => ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MINOR)) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe({ entryTypes: ['gc'] });
    });
    outputRead(COLLECT_EVERY_BYTES);
    await minorCollection;
  });
});
