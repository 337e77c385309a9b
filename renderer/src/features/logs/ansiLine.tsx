import Anser from 'anser';
import type { CSSProperties, ReactNode } from 'react';

const ESCAPE = '\u001b';
// CSI sequences (colours, cursor moves) and OSC sequences (titles, links), for searching plain text.
// eslint-disable-next-line no-control-regex -- escape sequences are made of control characters
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;

const plainCache = new WeakMap<object, string>();

/** The line without escape sequences, cached per line object (searching re-reads every line). */
export function plainText(line: { text: string }): string {
  if (!line.text.includes(ESCAPE)) return line.text;
  let plain = plainCache.get(line);
  if (plain === undefined) {
    plain = line.text.replace(ANSI_SEQUENCE, '');
    plainCache.set(line, plain);
  }
  return plain;
}

function styleOf(entry: Anser.AnserJsonEntry): CSSProperties | undefined {
  const style: CSSProperties = {};
  if (entry.fg) style.color = `rgb(${entry.fg})`;
  if (entry.bg) style.backgroundColor = `rgb(${entry.bg})`;
  for (const decoration of entry.decorations) {
    if (decoration === 'bold') style.fontWeight = 'bold';
    else if (decoration === 'dim') style.opacity = 0.7;
    else if (decoration === 'italic') style.fontStyle = 'italic';
    else if (decoration === 'underline') style.textDecoration = 'underline';
    else if (decoration === 'strikethrough') style.textDecoration = 'line-through';
    else if (decoration === 'hidden') style.visibility = 'hidden';
  }
  return Object.keys(style).length > 0 ? style : undefined;
}

/** ANSI colours as styled React spans: text stays text, never parsed as HTML. */
export function renderAnsi(text: string): ReactNode {
  if (!text.includes(ESCAPE)) return text;
  return Anser.ansiToJson(text, { use_classes: false, remove_empty: true }).map((entry, i) => (
    <span key={i} style={styleOf(entry)}>
      {entry.content}
    </span>
  ));
}
