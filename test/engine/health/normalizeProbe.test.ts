import { describe, expect, it } from 'vitest';
import { normalizeProbe, parseHostPort } from '../../../electron/engine/health/normalizeProbe';
import type { ProbeInput } from '../../../electron/engine/health/probeSpec';
import { compileSafeRegex, findNestedQuantifier } from '../../../electron/engine/health/safeRegex';
import { EngineError } from '../../../electron/engine/engineError';

function refusal(input: unknown): { field?: string; message: string } {
  try {
    normalizeProbe(input as ProbeInput, 'liveness');
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('INVALID_SPEC');
    return { field: (error as EngineError).field, message: (error as EngineError).message };
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('normalizeProbe', () => {
  it('fills in the defaults and parses targets', () => {
    const probe = normalizeProbe({ kind: 'http', url: 'http://127.0.0.1:8080/health' }, 'readiness');
    expect(probe.timing).toEqual({ initialDelayMs: 0, intervalMs: 10_000, timeoutMs: 1_000, successThreshold: 1, failureThreshold: 3 });
    expect(probe.check).toMatchObject({ kind: 'http', statusMin: 200, statusMax: 399, followRedirects: false });
    expect(normalizeProbe({ kind: 'tcp', target: 'db.local:5432' }, 'readiness').check).toEqual({ kind: 'tcp', host: 'db.local', port: 5432 });
    expect(normalizeProbe({ kind: 'exec', command: ['pg_isready', '-q'] }, 'readiness').check).toEqual({ kind: 'exec', command: { kind: 'argv', program: 'pg_isready', args: ['-q'] } });
    expect(normalizeProbe({ kind: 'exec', command: 'pg_isready -q' }, 'readiness').check).toEqual({ kind: 'exec', command: { kind: 'shell', script: 'pg_isready -q' } });
  });

  it('refuses bad probes naming the field', () => {
    expect(refusal({ kind: 'smtp' })).toMatchObject({ field: 'liveness.kind', message: expect.stringContaining('unknown probe kind "smtp"') });
    expect(refusal(null)).toMatchObject({ field: 'liveness' });
    expect(refusal({ kind: 'http', url: 'not a url' })).toMatchObject({ field: 'liveness.url' });
    expect(refusal({ kind: 'http', url: 'file:///etc/passwd' })).toMatchObject({ field: 'liveness.url', message: expect.stringContaining('file: URLs cannot be probed') });
    expect(refusal({ kind: 'http', url: 'http://user:secret@127.0.0.1/' })).toMatchObject({ field: 'liveness.url' });
    expect(refusal({ kind: 'http', url: 'http://x/', status: { min: 500, max: 200 } })).toMatchObject({ field: 'liveness.status' });
    expect(refusal({ kind: 'http', url: 'http://x/', status: { min: 200, max: 700 } })).toMatchObject({ field: 'liveness.status.max' });
    expect(refusal({ kind: 'http', url: 'http://x/', headers: { 'x-a': 'b\r\nx-evil: 1' } })).toMatchObject({ field: 'liveness.headers.x-a' });
    expect(refusal({ kind: 'http', url: 'http://x/', body: { contains: '' } })).toMatchObject({ field: 'liveness.body.contains' });
    expect(refusal({ kind: 'tcp', target: '5432' })).toMatchObject({ field: 'liveness.target' });
    expect(refusal({ kind: 'tcp', target: 'host:70000' })).toMatchObject({ field: 'liveness.target', message: expect.stringContaining('port 70000') });
    expect(refusal({ kind: 'tcp', target: '::1:80' })).toMatchObject({ field: 'liveness.target', message: expect.stringContaining('[::1]:PORT') });
    expect(refusal({ kind: 'exec', command: '  ' })).toMatchObject({ field: 'liveness.command' });
    expect(refusal({ kind: 'exec', command: [] })).toMatchObject({ field: 'liveness.command' });
    expect(refusal({ kind: 'exec', command: ['a\0b'] })).toMatchObject({ field: 'liveness.command' });
    expect(refusal({ kind: 'log', regex: '(' })).toMatchObject({ field: 'liveness.regex', message: expect.stringContaining('not a valid regular expression') });
    expect(refusal({ kind: 'log', regex: 'ready', flags: 'g' })).toMatchObject({ field: 'liveness.regex' });
  });

  it('refuses timings that would make a busy loop or never fire', () => {
    expect(refusal({ kind: 'tcp', target: 'h:1', intervalMs: 0 })).toMatchObject({ field: 'liveness.intervalMs' });
    expect(refusal({ kind: 'tcp', target: 'h:1', intervalMs: Number.NaN })).toMatchObject({ field: 'liveness.intervalMs' });
    expect(refusal({ kind: 'tcp', target: 'h:1', timeoutMs: 1 })).toMatchObject({ field: 'liveness.timeoutMs' });
    expect(refusal({ kind: 'tcp', target: 'h:1', initialDelayMs: -1 })).toMatchObject({ field: 'liveness.initialDelayMs' });
    expect(refusal({ kind: 'tcp', target: 'h:1', initialDelayMs: 31 * 24 * 3600_000 })).toMatchObject({ field: 'liveness.initialDelayMs' });
    expect(refusal({ kind: 'tcp', target: 'h:1', successThreshold: 0 })).toMatchObject({ field: 'liveness.successThreshold' });
    expect(refusal({ kind: 'tcp', target: 'h:1', failureThreshold: 1.5 })).toMatchObject({ field: 'liveness.failureThreshold' });
  });

  it('parses HOST:PORT forms', () => {
    expect(parseHostPort('127.0.0.1:80', 'f')).toEqual({ host: '127.0.0.1', port: 80 });
    expect(parseHostPort('[::1]:8080', 'f')).toEqual({ host: '::1', port: 8080 });
    expect(() => parseHostPort('[nope]:80', 'f')).toThrow(/not an IPv6 address/);
  });
});

describe('compileSafeRegex', () => {
  it('refuses a repeated group that repeats inside, which backtracks exponentially on a hostile line', () => {
    for (const pattern of ['(a+)+$', '(a*)*b', '(x+x+)+y', '((ab)*)+', '(?:a|b+){2,}', '(\\d+)*$']) {
      expect(findNestedQuantifier(pattern), pattern).toBeTypeOf('number');
      expect(() => compileSafeRegex(pattern, undefined, 'readiness.regex'), pattern).toThrow(/repeats a group that itself repeats/);
    }
  });

  it('accepts ordinary patterns', () => {
    for (const pattern of ['listening on port (\\d+)', '^ready$', '(foo|bar)+', '(a+)?b', '[(+*)]+', '\\(a+\\)+', 'v(\\d+)\\.(\\d+)', '(ab){3}', '(a+){1}']) {
      expect(findNestedQuantifier(pattern), pattern).toBeUndefined();
      expect(compileSafeRegex(pattern, 'i', 'f')).toBeInstanceOf(RegExp);
    }
  });
});
