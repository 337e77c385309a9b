/** The longest partial line kept between chunks: a run printing without newlines must not grow it. */
const MAX_PARTIAL_CHARS = 64 * 1024;

/** Output chunks → whole lines (a line split across chunks is joined; an endless one is cut). */
export class LineSplitter {
  private partial = '';

  constructor(private readonly line: (text: string) => void) {}

  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_PARTIAL_CHARS) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const part of parts) this.line(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  /** The run ended: its last line, without a newline, counts too. */
  flush(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
  }
}
