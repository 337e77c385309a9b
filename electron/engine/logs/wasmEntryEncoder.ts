import { EntryEncoder, LINE_ENDS, STREAM_MARKS, type FileStream } from './logFileFormat';
import { WASM_BASE64 } from './wasm/entryEncoderBinary';

/** The largest read the module takes (libuv reads at most 64 KiB); a bigger chunk is the JS encoder's. */
export const READ_CAPACITY = 65536;
/** Where the module's output starts (wasm/entryEncoder.wat lays out its memory). */
const OUT = 65600;

/** The stream's mark and a space, as the module stores them: one little-endian 16-bit word. */
const MARK_WORDS = {
  stdout: STREAM_MARKS.stdout | (LINE_ENDS << 8),
  stderr: STREAM_MARKS.stderr | (LINE_ENDS << 8),
  procdeck: STREAM_MARKS.procdeck | (LINE_ENDS << 8),
} as const satisfies Record<FileStream, number>;

export interface ReadEncoder {
  encode(stream: FileStream, data: Uint8Array, at: number): Buffer;
}

interface EncoderExports {
  memory: WebAssembly.Memory;
  encode(length: number, linesAt: number, marks: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The module, or null where this runtime lacks WebAssembly or its 128-bit SIMD. */
function encoderModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const bytes = Buffer.from(WASM_BASE64, 'base64');
  compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return compiled;
}

/**
 * EntryEncoder's format, byte for byte, a read encoded in one call into WebAssembly
 * (wasm/entryEncoder.wat: 16 bytes at a time, SIMD): the read is copied into the module's
 * memory once and the result is a view of it. In JS each of a GiB's ~13 million lines cost a
 * Buffer.indexOf and a copyWithin, each a call into C++ (README, Performance).
 *
 * What encode() returns is a view of the module's memory, valid until the next encode().
 * A chunk bigger than READ_CAPACITY (not a pipe's read: libuv reads 64 KiB at most) goes to
 * the JS encoder, which gives it a buffer of its own above `keepUpTo`.
 */
export class WasmEntryEncoder implements ReadEncoder {
  private readonly memory: Buffer;
  private readonly encodeRead: EncoderExports['encode'];
  private readonly bigChunks: EntryEncoder;
  private timeAt: number | undefined;
  private linesAt = OUT;

  constructor(module: WebAssembly.Module, keepUpTo = Infinity) {
    const exports = new WebAssembly.Instance(module).exports as unknown as EncoderExports;
    // The memory's size is fixed (its maximum is its size), so its buffer is never detached.
    this.memory = Buffer.from(exports.memory.buffer);
    this.encodeRead = exports.encode;
    this.bigChunks = new EntryEncoder(keepUpTo);
  }

  encode(stream: FileStream, data: Uint8Array, at: number): Buffer {
    if (data.length === 0) return Buffer.alloc(0);
    if (data.length > READ_CAPACITY) return this.bigChunks.encode(stream, data, at);
    // The module never writes where the time line is, so it is written again only for a new millisecond.
    if (this.timeAt !== at) {
      this.linesAt = OUT + this.memory.write(`@${new Date(at).toISOString()}\n`, OUT, 'latin1');
      this.timeAt = at;
    }
    this.memory.set(data, 0);
    return this.memory.subarray(OUT, this.encodeRead(data.length, this.linesAt, MARK_WORDS[stream]));
  }
}

/**
 * The encoder for a pipe's reads: the WebAssembly one, or the JS EntryEncoder where the
 * runtime has no WebAssembly SIMD (the same bytes, slower).
 */
export function readEncoder(keepUpTo = Infinity): ReadEncoder {
  const module = encoderModule();
  return module ? new WasmEntryEncoder(module, keepUpTo) : new EntryEncoder(keepUpTo);
}
