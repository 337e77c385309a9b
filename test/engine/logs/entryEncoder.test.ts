import { describe, expect, it } from 'vitest';
import { decodeEntries, EntryEncoder, type FileStream } from '../../../electron/engine/logs/logFileFormat';

const AT = Date.UTC(2025, 4, 1, 9, 30, 0, 123);

/** The format spelled out line by line, as logFileFormat.ts documents it: what the encoder must produce. */
function entriesByHand(stream: FileStream, text: string, at: number): string {
  const time = new Date(at).toISOString();
  return text
    .split(/(?<=\n)/)
    .map((piece) => (piece.endsWith('\n') ? `${time} ${stream} F ${piece}` : `${time} ${stream} P ${piece}\n`))
    .join('');
}

describe('the entry encoder', () => {
  it('writes an entry per line, a partial entry for an unfinished line, whatever the chunk holds', () => {
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
    expect(decodeEntries(file)).toEqual([{ stream: 'stderr', text: `${text}`, at: AT }]);
  });
});
