import { readFileSync, statSync } from 'node:fs';

/**
 * A dotenv file as docker compose, foreman and python-dotenv read it: `KEY=VALUE` lines,
 * optional `export `, `#` comments and blank lines; a value in single quotes is literal, in
 * double quotes takes \n \t \" \\ escapes and may span lines; an unquoted value ends at " #".
 * Variables are not expanded ($HOME stays as written): the job's shell does that.
 */

export interface EnvFileLine {
  line: number;
  column: number;
  message: string;
}

export type EnvFileResult = { ok: true; values: Record<string, string> } | { ok: false; unreadable: string } | { ok: false; errors: EnvFileLine[] };

const MAX_ENV_FILE_BYTES = 1024 * 1024;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function readEnvFile(path: string): EnvFileResult {
  let text: string;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { ok: false, unreadable: `${path} is a directory, not a file` };
    if (stat.size > MAX_ENV_FILE_BYTES) return { ok: false, unreadable: `${path} is larger than 1 MiB` };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, unreadable: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  return parseEnvText(text);
}

export function parseEnvText(text: string): EnvFileResult {
  const values: Record<string, string> = {};
  const errors: EnvFileLine[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const lineNumber = index + 1;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trimStart().replace(/^export\s+/, '');
    if (body === '' || body.startsWith('#')) continue;
    const column = indent + 1 + (raw.trimStart().length - body.length);
    const eq = body.indexOf('=');
    const name = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (eq < 0 || !NAME.test(name)) {
      errors.push({ line: lineNumber, column, message: eq < 0 ? `a line is NAME=VALUE, not ${JSON.stringify(raw.trim())}` : `${JSON.stringify(name)} is not a variable name (letters, digits, "_", starting with a letter or "_")` });
      continue;
    }
    let rest = body.slice(eq + 1).trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines: gather them until the closing quote.
      let gathered = rest.slice(1);
      let end = closingQuote(gathered, quote);
      while (end < 0 && index + 1 < lines.length) {
        gathered += `\n${lines[++index]}`;
        end = closingQuote(gathered, quote);
      }
      if (end < 0) {
        errors.push({ line: lineNumber, column, message: `the value of ${name} opens a ${quote} quote that never closes` });
        continue;
      }
      const after = gathered.slice(end + 1).trim();
      if (after && !after.startsWith('#')) {
        errors.push({ line: index + 1, column, message: `text after the closing quote of ${name}: ${JSON.stringify(after)}` });
        continue;
      }
      const inner = gathered.slice(0, end);
      values[name] = quote === "'" ? inner : unescape(inner);
    } else {
      const comment = rest.search(/\s#/);
      if (comment >= 0) rest = rest.slice(0, comment);
      values[name] = rest.trim();
    }
    if (values[name]!.includes('\0')) {
      errors.push({ line: lineNumber, column, message: `the value of ${name} contains a NUL byte` });
      delete values[name];
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

function closingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', $: '$' };
const unescape = (text: string): string => text.replace(/\\(.)/gs, (whole, char: string) => ESCAPES[char] ?? whole);
