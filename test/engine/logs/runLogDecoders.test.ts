import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunLog } from '../../../electron/engine/logs/runLog';
import { tempDir } from '../helpers';

const dirs: string[] = [];
afterEach(() => {
  vi.unstubAllGlobals();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function runLog(): RunLog {
  const dir = tempDir();
  dirs.push(dir);
  return new RunLog({ filePath: join(dir, 'out.log'), fileMaxBytes: 1024 ** 3, filesKept: 1, tailMaxBytes: 4096, liveMaxBytesPerDrain: 1024 });
}

describe('a run log under a flood', () => {
  it('skips output for the live view without a new decoder per cut (each is an ICU converter off the V8 heap)', () => {
    const log = runLog();
    const RealDecoder = TextDecoder;
    let made = 0;
    vi.stubGlobal(
      'TextDecoder',
      class extends RealDecoder {
        constructor(...args: ConstructorParameters<typeof TextDecoder>) {
          super(...args);
          made++;
        }
      },
    );
    const chunk = Buffer.alloc(2048, 'x');
    for (let i = 0; i < 200; i++) {
      log.append('stdout', chunk);
      log.append('stderr', chunk);
      if (i % 10 === 0) log.drain();
    }
    log.drain(true);
    log.close();
    expect(made).toBe(0);
  });

  it('decodes a multi-byte character whole again after a cut landed inside one', () => {
    const log = runLog();
    const euro = Buffer.from('€'); // 3 bytes
    // The pending output goes beyond the live cap: the first chunk, ending in half a €, is skipped.
    log.append('stdout', Buffer.concat([Buffer.alloc(2000, 'a'), euro.subarray(0, 2)]));
    log.append('stdout', Buffer.from(`${'b'.repeat(500)}€ after the cut\n`));
    const text = log.drain().map((c) => c.text).join('');
    expect(text).toContain('not shown live');
    expect(text).toContain(`${'b'.repeat(500)}€ after the cut\n`);
    expect(text).not.toContain('\ufffd');
    log.close();
  });
});

describe('a run log whose output was skipped for the live view', () => {
  it('says its tail is truncated even when what the tail holds is below its cap', () => {
    const log = runLog();
    // 3 KiB arrive before any drain: only the newest 1 KiB passes on live, and the tail (4 KiB cap) holds just that.
    for (let i = 0; i < 3; i++) log.append('stdout', Buffer.from(`${String(i).repeat(1023)}\n`));
    log.drain(true);
    const { chunks, truncated } = log.snapshot();
    const output = chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join('');
    expect(output).toBe(`${'2'.repeat(1023)}\n`);
    expect(truncated).toBe(true);
    log.close();
  });

  it('is not truncated when everything reached the tail', () => {
    const log = runLog();
    log.append('stdout', Buffer.from('one line\n'));
    log.drain(true);
    expect(log.snapshot().truncated).toBe(false);
    log.close();
  });
});
