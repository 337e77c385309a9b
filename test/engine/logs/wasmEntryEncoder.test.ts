import { describe, expect, it } from 'vitest';
import { EntryEncoder, type FileStream } from '../../../electron/engine/logs/logFileFormat';
import { READ_CAPACITY, readEncoder, WasmEntryEncoder } from '../../../electron/engine/logs/wasmEntryEncoder';
import { binaryModuleText, checkedInBinaryModule, compileWat, WAT_MODULES } from '../../../scripts/compileWat';

const AT = Date.UTC(2025, 4, 1, 9, 30, 0, 123);
const STREAMS: FileStream[] = ['stdout', 'stderr', 'procdeck'];

/** A seeded generator (xorshift32), so a failing chunk is the same chunk on every run. */
function randomBytes(seed: number): (length: number, newlineShare?: number) => Buffer {
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return (length, newlineShare = 0) => {
    const bytes = Buffer.alloc(length);
    for (let i = 0; i < length; i++) bytes[i] = next() < newlineShare ? 0x0a : Math.floor(next() * 256);
    return bytes;
  };
}

function wasmEncoder(keepUpTo?: number): WasmEntryEncoder {
  const encoder = readEncoder(keepUpTo);
  // Node 20 and Electron have WebAssembly SIMD on x86-64 and arm64: a fallback here is a bug.
  expect(encoder).toBeInstanceOf(WasmEntryEncoder);
  return encoder as WasmEntryEncoder;
}

/** Every chunk through both encoders, one after the other (each keeps its buffer between calls): the same bytes. */
function expectSameAsJs(chunks: Buffer[], keepUpTo?: number): void {
  const js = new EntryEncoder(keepUpTo);
  const wasm = wasmEncoder(keepUpTo);
  for (const [index, chunk] of chunks.entries()) {
    const stream = STREAMS[index % STREAMS.length]!;
    // Some chunks share a millisecond (the time line is written again only for a new one), some not.
    const at = AT + Math.floor(index / 3) * 7;
    const expected = Buffer.from(js.encode(stream, chunk, at));
    const got = wasm.encode(stream, chunk, at);
    if (!got.equals(expected)) expect({ index, length: chunk.length, got: got.toString('latin1') }).toEqual({ index, length: chunk.length, got: expected.toString('latin1') });
  }
}

describe('the WebAssembly entry encoder', () => {
  it('writes what the JS encoder writes, whatever the chunk holds', () => {
    const random = randomBytes(0x9e3779b9);
    const hostile = [
      Buffer.alloc(0),
      Buffer.from('no newline at all'),
      Buffer.from('\n'),
      Buffer.alloc(1, 0x0a),
      Buffer.alloc(READ_CAPACITY, 0x0a), // newlines alone: the largest output a read can have
      Buffer.alloc(READ_CAPACITY, 0x78), // one unfinished line filling the whole read
      Buffer.from(`${'x'.repeat(70_000)}\n`), // a 70 KB line, bigger than a read
      Buffer.from(`${'y'.repeat(READ_CAPACITY - 1)}\n`),
      Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)), // every byte value, once
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)),
      Buffer.from('\r\n\r\n\0\n\u00ff\n'),
      Buffer.from('€ price\nnaïve ünïcödé\npartial ✓'),
    ];
    // Every length around the module's 32-byte blocks and its 16-byte steps for the rest, with a
    // newline at each place in the last 33, and a second one at each place after it in that block.
    const edges: Buffer[] = [];
    for (let length = 1; length <= 100; length++) {
      edges.push(Buffer.alloc(length, 0x61));
      for (let at = Math.max(0, length - 33); at < length; at++) {
        const chunk = Buffer.alloc(length, 0x61);
        chunk[at] = 0x0a;
        edges.push(chunk);
        for (let second = at + 1; second < Math.min(length, (at & ~31) + 32); second++) {
          const two = Buffer.from(chunk);
          two[second] = 0x0a;
          edges.push(two);
        }
      }
    }
    const randomChunks = Array.from({ length: 300 }, (_, i) => random(1 + Math.floor(Math.abs(Math.sin(i + 1)) * 9000), [0, 0.01, 0.1, 0.5, 0.95][i % 5]));
    expectSameAsJs([...hostile, ...edges, ...randomChunks]);
  });

  it('gives a chunk bigger than its memory holds (not a pipe\'s read) to the JS encoder, and the chunks after it are right too', () => {
    const random = randomBytes(12345);
    expectSameAsJs([random(READ_CAPACITY + 1, 0.05), Buffer.from('small\n'), random(300_000, 0.02), random(READ_CAPACITY, 0.3), Buffer.from('after\n')]);
    // Above what it keeps, a chunk's buffer is its own: the next encode does not change it.
    const wasm = wasmEncoder(1024);
    const big = wasm.encode('stdout', Buffer.from(`${'line\n'.repeat(20_000)}`), AT);
    const copy = Buffer.from(big);
    wasm.encode('stderr', Buffer.from('small\n'), AT + 1);
    expect(big.equals(copy)).toBe(true);
  });

  it('keeps what a read left in its memory out of the next read\'s lines', () => {
    // A long read of newlines, then short ones without: bytes past a read's end are the last read's.
    expectSameAsJs([Buffer.alloc(20_000, 0x0a), Buffer.from('abc'), Buffer.alloc(17, 0x62), Buffer.from('z'), Buffer.alloc(20_000, 0x0a), Buffer.from('ends\n')]);
  });

  it('is the binary its WebAssembly text compiles to', async () => {
    for (const { source, binary } of WAT_MODULES) expect(checkedInBinaryModule(binary), `${binary}: run npm run build:wasm`).toBe(binaryModuleText(source, await compileWat(source)));
  });
});
