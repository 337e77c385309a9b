import { useId, useState } from 'react';

/** "(searched PATH=/a:/b)" as the engine words a program not found: the part that is long and rarely needed. */
const SEARCHED_PATH = /\s*\(searched PATH=([^)]*)\)/;

/** An engine message without its searched PATH, and that PATH's entries (when the message names one). */
export function splitSearchedPath(message: string): { text: string; path?: string[] } {
  const match = SEARCHED_PATH.exec(message);
  if (!match) return { text: message };
  const text = message.slice(0, match.index) + message.slice(match.index + match[0].length);
  return { text, path: match[1]!.split(':') };
}

/**
 * A message that may be long (a program not found, with the whole PATH searched): it wraps
 * anywhere, and the PATH is listed, one directory a line, only when asked for.
 */
export function MessageText({ message }: { message: string }) {
  const { text, path } = splitSearchedPath(message);
  const [open, setOpen] = useState(false);
  const listId = useId();
  return (
    <>
      <span className="message-text">{text}</span>
      {path && (
        <>
          {' '}
          <button type="button" className="text-button path-toggle" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
            {open ? 'Hide the PATH searched' : 'Show the PATH searched'}
          </button>
          {open && (
            <ol id={listId} className="path-list" aria-label="PATH searched">
              {path.map((entry, index) => (
                <li key={index}>{entry === '' ? '(empty: the working directory)' : entry}</li>
              ))}
            </ol>
          )}
        </>
      )}
    </>
  );
}
