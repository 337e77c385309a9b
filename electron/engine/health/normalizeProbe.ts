import { isIP } from 'node:net';
import type { JobCommand } from '../../../shared/jobSpec';
import { MAX_TIMEOUT_MS } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';
import {
  MAX_THRESHOLD,
  MIN_INTERVAL_MS,
  MIN_TIMEOUT_MS,
  PROBE_DEFAULTS,
  type BodyMatch,
  type ProbeCheck,
  type ProbeDefinition,
  type ProbeInput,
  type ProbeTiming,
  type ProbeTimingInput,
} from './probeSpec';
import { compileSafeRegex } from './safeRegex';

const invalid = (field: string, message: string) => new EngineError('INVALID_SPEC', `${field}: ${message}`, field);

/**
 * Checks a probe as a request or a config file gave it and fills in the defaults. Every
 * refusal is an INVALID_SPEC naming the field (prefixed by `field`, e.g. "readiness"), so a bad
 * probe is reported where it was written and never reaches a timer or a socket.
 */
export function normalizeProbe(input: ProbeInput, field: string): ProbeDefinition {
  if (input === null || typeof input !== 'object') throw invalid(field, 'a probe must be an object with a kind (http, tcp, exec or log)');
  return { check: normalizeCheck(input, field), timing: normalizeTiming(input, field) };
}

function normalizeCheck(input: ProbeInput, field: string): ProbeCheck {
  switch (input.kind) {
    case 'http':
      return normalizeHttp(input, field);
    case 'tcp': {
      const { host, port } = parseHostPort(input.target, `${field}.target`);
      return { kind: 'tcp', host, port };
    }
    case 'exec':
      return { kind: 'exec', command: normalizeCommand(input.command, `${field}.command`) };
    case 'log':
      return { kind: 'log', regex: compileSafeRegex(input.regex, input.flags, `${field}.regex`) };
    default:
      throw invalid(`${field}.kind`, `unknown probe kind ${JSON.stringify((input as { kind?: unknown }).kind)} (use http, tcp, exec or log)`);
  }
}

function normalizeHttp(input: Extract<ProbeInput, { kind: 'http' }>, field: string): ProbeCheck {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw invalid(`${field}.url`, `${JSON.stringify(input.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`${field}.url`, `${url.protocol} URLs cannot be probed (use http: or https:)`);
  if (url.username || url.password) throw invalid(`${field}.url`, 'credentials in the URL would be shown with every probe result; send them in a header');
  const statusMin = input.status?.min ?? 200;
  const statusMax = input.status?.max ?? 399;
  for (const [name, value] of [['min', statusMin], ['max', statusMax]] as const) {
    if (!Number.isInteger(value) || value < 100 || value > 599) throw invalid(`${field}.status.${name}`, `${String(value)} is not an HTTP status (100–599)`);
  }
  if (statusMin > statusMax) throw invalid(`${field}.status`, `the range ${statusMin}–${statusMax} is empty`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    // A CR or LF would let a header value smuggle a second header or request.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw invalid(`${field}.headers`, `${JSON.stringify(name)} is not a header name`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) throw invalid(`${field}.headers.${name}`, 'a header value must be text without CR, LF or NUL');
    headers[name.toLowerCase()] = value;
  }
  return { kind: 'http', url, statusMin, statusMax, body: normalizeBody(input.body, `${field}.body`), followRedirects: input.followRedirects === true, headers };
}

function normalizeBody(body: Extract<ProbeInput, { kind: 'http' }>['body'], field: string): BodyMatch | undefined {
  if (body === undefined) return undefined;
  if ('contains' in body) {
    if (typeof body.contains !== 'string' || body.contains.length === 0) throw invalid(`${field}.contains`, 'the text to look for is empty');
    return { kind: 'contains', text: body.contains };
  }
  if ('regex' in body) return { kind: 'regex', regex: compileSafeRegex(body.regex, body.flags, `${field}.regex`) };
  throw invalid(field, 'give either contains (text) or regex');
}

/** HOST:PORT, [IPv6]:PORT. A bare IPv6 address without brackets is refused: its last group would be read as the port. */
export function parseHostPort(target: string, field: string): { host: string; port: number } {
  if (typeof target !== 'string' || target.trim() === '') throw invalid(field, 'give HOST:PORT');
  const text = target.trim();
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]\s]+):(\d+)$/.exec(text);
  if (!match) throw invalid(field, `${JSON.stringify(target)} is not HOST:PORT (write an IPv6 address as [::1]:PORT)`);
  const host = match[1]!;
  if (text.startsWith('[') && isIP(host) !== 6) throw invalid(field, `${host} is not an IPv6 address`);
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw invalid(field, `port ${match[2]} is not between 1 and 65535`);
  return { host, port };
}

function normalizeCommand(command: string | readonly string[], field: string): JobCommand {
  if (typeof command === 'string') {
    if (command.trim() === '') throw invalid(field, 'the command is empty');
    if (command.includes('\0')) throw invalid(field, 'the command must not contain a NUL byte');
    return { kind: 'shell', script: command };
  }
  if (!Array.isArray(command) || command.length === 0 || command.some((part) => typeof part !== 'string')) throw invalid(field, 'give a command line, or a list of program and arguments');
  if (command.some((part) => part.includes('\0'))) throw invalid(field, 'the command must not contain a NUL byte');
  const [program, ...args] = command as string[];
  if (program!.trim() === '') throw invalid(field, 'the program is empty');
  return { kind: 'argv', program: program!, args };
}

function normalizeTiming(input: ProbeTimingInput, field: string): ProbeTiming {
  const duration = (name: keyof ProbeTimingInput, min: number): number => {
    const value = input[name] ?? PROBE_DEFAULTS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMEOUT_MS) {
      throw invalid(`${field}.${name}`, `${String(value)} is not a duration between ${min} ms and 30 days`);
    }
    return Math.round(value);
  };
  const threshold = (name: 'successThreshold' | 'failureThreshold'): number => {
    const value = input[name] ?? PROBE_DEFAULTS[name];
    if (!Number.isInteger(value) || value < 1 || value > MAX_THRESHOLD) throw invalid(`${field}.${name}`, `${String(value)} is not a whole number between 1 and ${MAX_THRESHOLD}`);
    return value;
  };
  return {
    initialDelayMs: duration('initialDelayMs', 0),
    intervalMs: duration('intervalMs', MIN_INTERVAL_MS),
    timeoutMs: duration('timeoutMs', MIN_TIMEOUT_MS),
    successThreshold: threshold('successThreshold'),
    failureThreshold: threshold('failureThreshold'),
  };
}
