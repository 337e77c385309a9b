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
});
