export type FramedLine = { kind: 'line'; text: string } | { kind: 'oversized'; bytes: number };

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into newline-terminated lines without ever holding more than
 * `maxLineBytes` of one line: a longer one is reported once as oversized (with the bytes
 * seen when it was given up on) and its remainder is skipped up to the next newline, so a
 * peer that never sends a newline costs a bounded amount of memory. Splitting happens on
 * bytes, before decoding: a newline byte never occurs inside a multi-byte UTF-8 character.
 */
export class LineFramer {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  /** Lines completed by this chunk, in order; a trailing `\r` is dropped (CRLF senders). */
  push(chunk: Buffer): FramedLine[] {
    const lines: FramedLine[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.skipping) {
        this.parts.push(chunk.subarray(start, end));
        this.size += end - start;
        if (this.size > this.maxLineBytes) {
          lines.push({ kind: 'oversized', bytes: this.size });
          this.reset();
          this.skipping = true;
        }
      }
      if (newline === -1) break;
      if (!this.skipping) lines.push({ kind: 'line', text: this.take() });
      this.skipping = false;
      start = newline + 1;
    }
    return lines;
  }

  /** Bytes of an unfinished line held right now. */
  get pendingBytes(): number {
    return this.size;
  }

  private take(): string {
    let text = (this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size)).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.reset();
    return text;
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
  }
}
