export type SplitResult = { ok: true; argv: string[] } | { ok: false; error: string };

const DOUBLE_QUOTE_ESCAPABLE = new Set(['"', '\\', '$', '`']);

/**
 * Splits a command line into words the way a POSIX shell would for plain words and quotes
 * ('…' literal, "…" with \" and \\ escapes, \x outside quotes) — without expansion of
 * variables, globs or anything else, since no shell runs this command.
 */
export function splitArgv(text: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;

  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && i + 1 < text.length && DOUBLE_QUOTE_ESCAPABLE.has(text[i + 1]!)) word += text[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\') {
      if (i + 1 < text.length) word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `unterminated ${quote === "'" ? 'single' : 'double'} quote` };
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, error: 'enter a program to run' };
  return { ok: true, argv };
}

/** A word as splitArgv reads it back: plain when it is safe so, else in '…' (a ' inside written '\''). */
export function quoteArgvWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The inverse of splitArgv: a command line that splits back into exactly these words. */
export const joinArgv = (argv: readonly string[]): string => argv.map(quoteArgvWord).join(' ');
