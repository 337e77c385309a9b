import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../shared/contract';
import { procdeckErrorSchema } from '../../shared/errors';
import { bearer, httpCall, JSON_TYPE } from './apiHelpers';
import { startHostChild, stopHostChildren, type HostChild } from './hostChild';
import { TEST_TOKEN } from './helpers';

// The real browser host in its own process, so "never dies" is what is checked.
let host: HostChild;
beforeAll(async () => {
  host = await startHostChild({ token: TEST_TOKEN });
}, 90_000);
afterAll(stopHostChildren);

/** Bodies no command was written for: broken, deep, huge, odd keys and odd characters. */
const BODIES: (string | Buffer)[] = [
  '{',
  '}',
  '{"a":',
  '[[[[[[[[[[',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  '{"jobId":"\u0000","subjectId":"\u0000","name":"\u0000"}',
  '{"jobId":1e400,"pid":-0,"startTime":1e308}',
  '{"jobId":"\ud800"}',
  '\ufeff{}',
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3, 0x28, 0x7d]),
  `{"data":"${'x'.repeat(2 * 1024 * 1024)}"}`,
  JSON.stringify({ spec: { command: { kind: 'argv', program: 'true', args: Array.from({ length: 20_000 }, () => 'x') } } }),
  'true',
  '-',
  '"',
];

describe('every command, fed bodies nobody wrote a handler for', () => {
  it('answers each with 200 or a 4xx error envelope, and the host process keeps serving', async () => {
    let refusals = 0;
    let token = TEST_TOKEN;
    for (const name of Object.keys(commands)) {
      for (const body of BODIES) {
        const response = await httpCall(host.port, { path: `/api/v1/${name}`, headers: { ...bearer(token), ...JSON_TYPE }, body });
        const what = `${name} ← ${JSON.stringify(body.toString().slice(0, 60))} → ${response.status} ${response.text.slice(0, 200)}`;
        expect(response.status === 200 || (response.status >= 400 && response.status < 500), what).toBe(true);
        if (response.status !== 200) {
          refusals++;
          expect(procdeckErrorSchema.safeParse((JSON.parse(response.text) as { error: unknown }).error).success, what).toBe(true);
          // Refused for the token, every command after this one would be fuzzing only the token check.
          expect(response.status, what).not.toBe(401);
        } else if (name === 'access.rotateToken') {
          // A body it takes rotates the token (as it should): go on with the new one.
          token = new URL(commands['access.rotateToken'].response.parse(JSON.parse(response.text)).url).searchParams.get('token')!;
        }
      }
      expect(host.process.exitCode, `the host exited after ${name}`).toBeNull();
    }
    expect(refusals).toBeGreaterThan(Object.keys(commands).length * (BODIES.length - 4));
    // The engine answers as before, and nothing failed inside the host.
    const info = await httpCall(host.port, { path: '/api/v1/engine.info', headers: { ...bearer(token), ...JSON_TYPE }, body: '{}' });
    expect(commands['engine.info'].response.parse(JSON.parse(info.text)).host).toBe('browser');
    expect(host.stderr()).not.toMatch(/failed \(answered (500|INTERNAL)\)/);
  }, 300_000);
});
