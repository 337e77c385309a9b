export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr = (enabled: boolean, on: number, off: number) => (text: string) => (enabled && text !== '' ? `\u001b[${on}m${text}\u001b[${off}m` : text);

export function makeStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: sgr(enabled, 1, 22),
    dim: sgr(enabled, 2, 22),
    red: sgr(enabled, 31, 39),
    green: sgr(enabled, 32, 39),
    yellow: sgr(enabled, 33, 39),
    cyan: sgr(enabled, 36, 39),
  };
}

// C0 and C1 controls, DEL, line/paragraph separators and the bidirectional overrides
// ("Trojan Source"): anything that could move the cursor, recolour or reorder the terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text a job chose (its name, its command line) as it may be shown in a table: a job is
 * hostile, and a name holding an escape sequence must not repaint the operator's terminal.
 * Control characters are shown as \u{…} escapes instead.
 */
export const printable = (text: string) => text.replace(UNPRINTABLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
