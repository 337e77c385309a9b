import type { Readable } from 'node:stream';

/** What reads of one of a job's pipes go to. */
export interface OutputSink {
  /**
   * A read, in order. `lent` says the bytes are in one of the reader's two buffers: they stay as
   * they are until `reusing` is called with that buffer, then they must have been copied or let go.
   */
  read(data: Buffer, lent: boolean): void;
  /** The buffer is about to be read into again: whatever still holds a view of it copies it now. */
  reusing(buffer: Buffer): void;
}

/** A read this large says the job pours out output: the pipe's reads move to the reader's own buffers. */
export const FLOOD_READ_BYTES = 32 * 1024;
/** libuv's own read size; the WebAssembly encoder takes a read of at most this in one call. */
export const READ_BUFFER_BYTES = 64 * 1024;

// Node's net.Socket reads into a buffer the caller gives when made with `onread`; the socket a
// child's pipe comes in is made by child_process (or by spawnProcess on a FIFO's read end,
// fifoPipes.ts), so the same fields are set on it after the fact. They are Node's own (lib/net.js, lib/internal/stream_base_commons.js), found by their
// description; where they are missing (another runtime) the pipe is read as a stream, as before.
interface UserBufferSocket {
  _handle?: { useUserBuffer?: (buffer: Uint8Array) => void } | null;
}

interface SocketSymbols {
  buffer: symbol;
  callback: symbol;
  next: symbol;
}

// The symbols are module-level constants of Node's net.js, the same on every socket: looked up
// once, at the first pipe that has them, not for each pipe of each run on the spawn path.
let foundSymbols: SocketSymbols | undefined;

function socketSymbols(stream: Readable): SocketSymbols | undefined {
  if (typeof (stream as unknown as UserBufferSocket)._handle?.useUserBuffer !== 'function') return undefined;
  const own = (symbol: symbol) => Object.prototype.hasOwnProperty.call(stream, symbol);
  if (foundSymbols && own(foundSymbols.buffer) && own(foundSymbols.callback) && own(foundSymbols.next)) return foundSymbols;
  const symbols = Object.getOwnPropertySymbols(stream);
  const named = (description: string) => symbols.find((s) => s.description === description);
  const [buffer, callback, next] = [named('kBuffer'), named('kBufferCb'), named('kBufferGen')];
  if (!buffer || !callback || !next) return undefined;
  foundSymbols = { buffer, callback, next };
  return foundSymbols;
}

/**
 * Reads one of a job's pipes into `sink`. It starts as a stream ('data' events, a new buffer
 * per read: nothing held for a job that prints little). At the first read of FLOOD_READ_BYTES
 * or more it moves to two buffers of READ_BUFFER_BYTES of its own, read into in turn: under a
 * flood nothing is allocated per read, so no dead read buffers wait for a collection, and Node's
 * stream machinery ('data' events, the readable state) is skipped. Two, not one: the log keeps
 * the newest read for the live view until the next drain; with two, that read is still intact
 * while the next one comes in, and by then the live cap has usually let it go, so a copy is
 * needed only when output is slow (sink.reusing).
 *
 * The end of the pipe is the stream's as before ('end', 'close', errors): only the reads move.
 * Fairness is libuv's, either way: one readiness of the pipe is at most 32 reads, then the
 * event loop runs everything else that is waiting (other jobs' pipes, requests, timers).
 */
export function readOutput(stream: Readable, sink: OutputSink): void {
  const symbols = socketSymbols(stream);
  const onData = (data: Buffer) => {
    sink.read(data, false);
    // Switched between two reads, with nothing the stream holds still to come: order is kept.
    if (symbols && data.length >= FLOOD_READ_BYTES && stream.readableLength === 0 && !stream.destroyed) {
      stream.off('data', onData);
      readIntoOwnBuffers(stream, symbols, sink);
    }
  };
  stream.on('data', onData);
}

function readIntoOwnBuffers(stream: Readable, symbols: SocketSymbols, sink: OutputSink): void {
  const buffers = [Buffer.allocUnsafeSlow(READ_BUFFER_BYTES), Buffer.allocUnsafeSlow(READ_BUFFER_BYTES)] as const;
  let current = 0;
  const fields = stream as unknown as Record<symbol, unknown>;
  fields[symbols.buffer] = buffers[current];
  fields[symbols.callback] = (bytes: number, buffer: Buffer) => {
    sink.read(buffer.subarray(0, bytes), true);
  };
  // Called by Node after each read's callback: the buffer the next read goes into.
  fields[symbols.next] = () => {
    current ^= 1;
    sink.reusing(buffers[current]);
    return buffers[current];
  };
  // The stream is flowing with no 'data' listener now; it must not stop reading for want of one.
  (stream as unknown as UserBufferSocket)._handle!.useUserBuffer!(buffers[current]);
}
