import { describe, expect, it } from 'vitest';
import { LastLine } from '../../electron/engine/logs/lastLine';
import { MAX_STDERR_LINE } from '../../shared/jobSnapshot';

function lastOf(...chunks: (string | Buffer)[]): string | undefined {
  const line = new LastLine();
  for (const chunk of chunks) line.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return line.value;
}

describe('LastLine: the last line a stream carried, as a terminal shows it', () => {
  it('keeps the last non-empty line, across chunks that split lines anywhere', () => {
    expect(lastOf()).toBeUndefined();
    expect(lastOf('one\ntwo\n')).toBe('two');
    expect(lastOf('one\ntwo\n\n   \n')).toBe('two');
    expect(lastOf('sh: 1: pyh', 'ton3: not', ' found\n')).toBe('sh: 1: pyhton3: not found');
    // A message without its newline counts: a program often dies mid-line.
    expect(lastOf('first\n', 'Traceback (most rec')).toBe('Traceback (most rec');
    expect(lastOf('first\nsecond')).toBe('second');
  });

  it('takes out colours and control characters, and keeps what follows the last carriage return', () => {
    expect(lastOf('\x1b[31merror:\x1b[0m disk full\n')).toBe('error: disk full');
    expect(lastOf('\x1b]0;title\x07done\n')).toBe('done');
    expect(lastOf('progress 10%\rprogress 90%\rfailed at 93%\n')).toBe('failed at 93%');
    expect(lastOf('bell\x07 and\tt\x00ab\r\n')).toBe('bell and tab');
  });

  it('decodes UTF-8 split between chunks', () => {
    const bytes = Buffer.from('échec: fichier absent\n');
    expect(lastOf(bytes.subarray(0, 1), bytes.subarray(1))).toBe('échec: fichier absent');
  });

  it('stays bounded whatever the stream: a long line is clipped, a flood without newline costs little', () => {
    const long = lastOf(`${'x'.repeat(MAX_STDERR_LINE + 50)}\n`)!;
    expect(long).toBe(`${'x'.repeat(MAX_STDERR_LINE)}…`);
    const line = new LastLine();
    for (let i = 0; i < 1000; i++) line.push(Buffer.alloc(64 * 1024, 'y'));
    line.push(Buffer.from('tail'));
    expect(line.value).toBe(`${'y'.repeat(MAX_STDERR_LINE)}…`);
    expect(JSON.stringify(line).length).toBeLessThan(10 * MAX_STDERR_LINE);
  });
});
