import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunLog } from '../../../electron/engine/logs/runLog';
import { tempDir } from '../helpers';

// Reads lent by the pipe reader (supervisor/outputReader.ts): views of a buffer it reads into
// again once it has called reclaim with it.
/** A reader's buffer: memory of its own, as outputReader's (a small Buffer.from shares Node's pool). */
const readerBuffer = (text: string) => {
  const buffer = Buffer.allocUnsafeSlow(text.length);
  buffer.write(text);
  return buffer;
};
const openLog = (liveMaxBytesPerDrain?: number) =>
  new RunLog({ filePath: `${tempDir()}/run.log`, fileMaxBytes: 1024 * 1024, filesKept: 2, tailMaxBytes: 64 * 1024, ...(liveMaxBytesPerDrain && { liveMaxBytesPerDrain }) });

afterEach(() => vi.restoreAllMocks());

describe('lent reads', () => {
  it('a lent read still waiting for the drain is copied before its buffer is read into again', () => {
    const log = openLog();
    const buffer = readerBuffer('first read\n');
    log.append('stdout', buffer, true);
    log.reclaim(buffer);
    buffer.write('XXXXXXXXXX\n'); // the reader's next read lands in the same buffer
    expect(log.drain().map((c) => c.text).join('')).toBe('first read\n');
    log.close();
  });

  it('a lent read the live view skipped, or one drained already, is not copied', () => {
    const log = openLog(16);
    const [a, b] = [readerBuffer('a'.repeat(20) + '\n'), readerBuffer('b'.repeat(20) + '\n')];
    log.append('stdout', a, true);
    log.append('stdout', b, true); // over the live cap: a is skipped for the live view
    const copies = vi.spyOn(Buffer, 'from');
    log.reclaim(a);
    expect(copies).not.toHaveBeenCalled();
    expect(log.drain().map((c) => c.text).join('')).toContain('b'.repeat(20));
    log.reclaim(b);
    expect(copies).not.toHaveBeenCalled();
    log.close();
  });

  it('reads lent from both buffers in turn are each copied when their own buffer comes round', () => {
    const log = openLog();
    const [a, b] = [readerBuffer('read one\n'), readerBuffer('read two\n')];
    log.append('stdout', a, true);
    log.append('stdout', b, true);
    log.reclaim(a); // a's read is copied, b's read stays a view
    a.write('XXXXXXXX\n');
    log.append('stdout', readerBuffer('read three\n'), true);
    log.reclaim(b);
    b.write('YYYYYYYY\n');
    expect(log.drain().map((c) => c.text).join('')).toBe('read one\nread two\nread three\n');
    log.close();
  });
});
