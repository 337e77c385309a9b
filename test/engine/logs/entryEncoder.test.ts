import { describe, expect, it } from 'vitest';
import { EntryEncoder, type FileStream } from '../../../electron/engine/logs/logFileFormat';
import { decodeEntries } from '../../../electron/engine/logs/logFileDecoding';

const AT = Date.UTC(2025, 4, 1, 9, 30, 0, 123);

const MARKS: Record<FileStream, string> = { stdout: '1', stderr: '2', procdeck: '!' };

/** The format spelled out line by line, as logFileFormat.ts documents it: what the encoder must produce. */
function entriesByHand(stream: FileStream, text: string, at: number): string {
  const lines = text
    .split(/(?<=\n)/)
    .map((piece) => (piece.endsWith('\n') ? `${MARKS[stream]} ${piece}` : `${MARKS[stream]}+${piece}\n`))
    .join('');
  return `@${new Date(at).toISOString()}\n${lines}`;
}

describe('the entry encoder', () => {
  it('writes the read\'s time, then a marked line per line, a `+` line for an unfinished one, whatever the chunk holds', () => {
    const encoder = new EntryEncoder();
    const chunks: [FileStream, string][] = [
      ['stdout', 'listening on :8080\n'],
      ['stderr', 'two\nlines\n'],
      ['stdout', 'downloading… 40%'],
      ['stdout', '\n\nempty lines\n\n'],
      ['stderr', 'ends mid-line\nthe rest'],
      ['stdout', '\n'],
      ['procdeck', 'stopped by operator\n'],
      ['stdout', `${'x'.repeat(70_000)}\n${'y'.repeat(10)}`],
      ['stdout', 'after a bigger chunk, in the same buffer\n'],
    ];
    for (const [index, [stream, text]] of chunks.entries()) {
      const at = AT + index;
      expect(encoder.encode(stream, Buffer.from(text), at).toString()).toBe(entriesByHand(stream, text, at));
    }
    expect(encoder.encode('stdout', Buffer.alloc(0), AT).length).toBe(0);
  });

  it('gives a chunk bigger than what it keeps a buffer of its own, and the next one is right too', () => {
    const encoder = new EntryEncoder(64);
    const big = `${'line of output\n'.repeat(20)}tail`;
    const first = encoder.encode('stdout', Buffer.from(big), AT);
    expect(first.toString()).toBe(entriesByHand('stdout', big, AT));
    expect(encoder.encode('stderr', Buffer.from('small\n'), AT).toString()).toBe(entriesByHand('stderr', 'small\n', AT));
    expect(first.toString()).toBe(entriesByHand('stdout', big, AT));
  });

  it('reads back as the chunks it was given, multi-byte characters whole', () => {
    const encoder = new EntryEncoder();
    const text = '€ price\nnaïve ünïcödé\npartial ✓';
    const file = encoder.encode('stderr', Buffer.from(text), AT).toString();
    expect(decodeEntries(file, 'v3')).toEqual([{ stream: 'stderr', text: `${text}`, at: AT }]);
  });
});
