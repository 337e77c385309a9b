import { MAX_STDERR_LINE } from '../../../shared/jobSnapshot';

/** What a partial line may hold at most while its end has not come: the last MAX_STDERR_LINE characters are all that is kept of it. */
const PARTIAL_MAX = 4 * MAX_STDERR_LINE;

// CSI and OSC sequences (colours, cursor moves, titles), then any other control character but tab.
// eslint-disable-next-line no-control-regex -- escape sequences are made of control characters
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
// eslint-disable-next-line no-control-regex -- control characters are what is taken out
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** A line as the log pane shows it: after its last carriage return (a progress bar's last state), without escape sequences. */
export function readableLine(line: string): string {
  const trimmed = line.replace(/\r+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('\r') + 1).replace(ESCAPES, '');
}

/** A line as the operator would read it on a terminal, on one line: also without control characters. */
function readable(line: string): string {
  return readableLine(line).replace(CONTROLS, '').replace(/\t/g, ' ').trim();
}

function clip(text: string): string {
  return text.length > MAX_STDERR_LINE ? `${text.slice(0, MAX_STDERR_LINE)}…` : text;
}

/**
 * The last non-empty line a stream carried, for a failed run's row ("sh: 1: pyhton3: not
 * found"). Bounded whatever the stream: a job writing megabytes without a newline costs
 * PARTIAL_MAX characters here.
 */
export class LastLine {
  private last: string | undefined;
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(data: Buffer): void {
    const text = this.partial + this.decoder.decode(data, { stream: true });
    const end = text.lastIndexOf('\n');
    if (end >= 0) {
      const lines = text.slice(0, end).split('\n');
      for (let i = lines.length - 1; i >= 0; i--) {
        const line = readable(lines[i]!);
        if (line) {
          this.last = clip(line);
          break;
        }
      }
    }
    const rest = text.slice(end + 1);
    this.partial = rest.length > PARTIAL_MAX ? rest.slice(-PARTIAL_MAX) : rest;
  }

  /** The last line, counting an unfinished one (a message without its newline). */
  get value(): string | undefined {
    const pending = readable(this.partial);
    return pending ? clip(pending) : this.last;
  }
}
