import type { TimedChunk } from './logFileDecoding';

/**
 * The last maxBytes of a run's output, as decoded chunks, for the UI. Old chunks fall off
 * the front; a single chunk larger than the cap keeps only its end (a 10 MB line without
 * a newline costs at most maxBytes here).
 */
export class LogTail {
  private chunks: TimedChunk[] = [];
  private bytes = 0;
  private dropped = false;

  constructor(private readonly maxBytes: number) {}

  push({ stream, text, at }: TimedChunk): void {
    if (text.length === 0) return;
    if (text.length > this.maxBytes) {
      text = text.slice(text.length - this.maxBytes);
      this.dropped = true;
    }
    const last = this.chunks[this.chunks.length - 1];
    // Merging consecutive chunks of one stream and time keeps the array short under a flood of small writes.
    if (last && last.stream === stream && last.at === at && last.text.length < 16 * 1024) {
      last.text += text;
    } else {
      this.chunks.push(at === undefined ? { stream, text } : { stream, text, at });
    }
    this.bytes += text.length;
    this.trim();
  }

  /** Output that never reached the tail (skipped for the live view): the tail no longer holds all of the run's output. */
  markDropped(): void {
    this.dropped = true;
  }

  snapshot(): { chunks: TimedChunk[]; truncated: boolean } {
    return { chunks: this.chunks.map((c) => ({ ...c })), truncated: this.dropped };
  }

  private trim(): void {
    while (this.bytes > this.maxBytes && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.bytes - this.maxBytes;
      this.dropped = true;
      if (first.text.length <= excess) {
        this.chunks.shift();
        this.bytes -= first.text.length;
      } else {
        first.text = first.text.slice(excess);
        this.bytes -= excess;
      }
    }
  }
}
