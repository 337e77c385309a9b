import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors';
import type { Engine } from '../../electron/engine/engine';
import { tokenCookieName } from '../../electron/web/auth';
import { ERROR_STATUS } from '../../electron/web/api/errorStatus';
import { closeEngines, openEngine } from '../engine/helpers';
import { apiCall, apiPost, bearer, errorOf, httpCall, JSON_TYPE, type ApiResponse } from './apiHelpers';
import { closeHosts, rawExchange, removeFakeRenderers, startTestHost, statusOf, TEST_TOKEN } from './helpers';

let port: number;
let engine: Engine;
let hostHeader: string;

beforeAll(async () => {
  ({ host: { port }, engine, hostHeader } = await startTestHost({ engine: openEngine({ settings: { maxConcurrent: 64 } }) }));
});
afterAll(async () => {
  await closeHosts();
  await closeEngines();
  removeFakeRenderers();
});

/** The documented cap (README): as large as a WebSocket message, beyond the largest legitimate request. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const START = { spec: { name: 'must not start', command: { kind: 'argv', program: 'sleep', args: ['300'] } } };
const jobCount = () => engine.jobs.list().length;

/** No answer of the API may let a page of another origin read it. */
function expectNoCors(response: ApiResponse) {
  expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
}

describe('API access: the bearer token, and nothing else', () => {
  let before: number;
  afterEach(() => {
    // A refused request changes nothing.
    expect(jobCount()).toBe(before);
  });
  const refusedStart = async (headers: Record<string, string>) => {
    before = jobCount();
    return httpCall(port, { path: '/api/v1/jobs.start', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(START) });
  };

  it('refuses a request without a token (401, WWW-Authenticate: Bearer, the error envelope)', async () => {
    const response = await refusedStart({});
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="procdeck"');
    expect(errorOf(response).message).toContain('Authorization: Bearer');
  });

  it('refuses a wrong token, another scheme, and the token without a scheme', async () => {
    for (const authorization of [`Bearer ${'f'.repeat(32)}`, `Basic ${Buffer.from(`x:${TEST_TOKEN}`).toString('base64')}`, TEST_TOKEN, 'Bearer']) {
      expect((await refusedStart({ Authorization: authorization })).status, authorization).toBe(401);
    }
  });

  it('refuses the valid token as a cookie (a browser would attach it to a forged request) or in the URL', async () => {
    const cookieOnly = await refusedStart({ Cookie: `${tokenCookieName(port)}=${TEST_TOKEN}` });
    expect(cookieOnly.status).toBe(401);
    expect(errorOf(cookieOnly).message).toContain('cookie is not accepted');
    before = jobCount();
    const inUrl = await httpCall(port, { path: `/api/v1/jobs.start?token=${TEST_TOKEN}`, headers: JSON_TYPE, body: JSON.stringify(START) });
    expect(inUrl.status).toBe(401);
    expect(errorOf(inUrl).message).toContain('token in the URL is not accepted');
  });

  it('refuses a request from a page of another origin even with the token, and sends no CORS header', async () => {
    for (const origin of ['http://attacker.example', 'null', `http://127.0.0.1:${port + 1}`, `https://${hostHeader}`]) {
      const response = await refusedStart({ ...bearer(), Origin: origin });
      expect(response.status, origin).toBe(403);
      expect(errorOf(response).message).toContain('cross-origin');
      expectNoCors(response);
    }
    // A CORS preflight is refused the same way, so a browser never sends the real request.
    const preflight = await httpCall(port, {
      method: 'OPTIONS',
      path: '/api/v1/jobs.start',
      headers: { Origin: 'http://attacker.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(403);
    expectNoCors(preflight);
  });

  it('refuses a foreign Host (DNS rebinding) and two Authorization headers', async () => {
    expect((await refusedStart({ ...bearer(), Host: `attacker.example:${port}` })).status).toBe(421);
    before = jobCount();
    const body = JSON.stringify(START);
    const twice = await rawExchange(
      port,
      [`POST /api/v1/jobs.start HTTP/1.1`, `Host: ${hostHeader}`, `Authorization: Bearer ${TEST_TOKEN}`, 'Authorization: Bearer other', 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Connection: close', '', body].join('\r\n'),
    );
    expect(statusOf(twice)).toBe(400);
    expect(twice).toContain('more than one authorization header');
  });

  it('serves a request with the token and our own Origin, or no Origin (a script)', async () => {
    before = jobCount();
    const sameOrigin = await httpCall(port, { path: '/api/v1/jobs.list', headers: { ...bearer(), ...JSON_TYPE, Origin: `http://${hostHeader}` }, body: '{}' });
    expect(sameOrigin.status).toBe(200);
    expectNoCors(sameOrigin);
    expect((await apiPost(port, 'engine.info', {})).status).toBe(200);
  });
});

describe('API bodies are read defensively', () => {
  const post = (body: string | Buffer | undefined, headers: Record<string, string> = JSON_TYPE) =>
    httpCall(port, { path: '/api/v1/jobs.start', headers: { ...bearer(), ...headers }, body });
  let before: number;
  afterEach(async () => {
    expect(jobCount()).toBe(before);
    // The host is still up and answers.
    expect((await apiPost(port, 'engine.info', {})).status).toBe(200);
  });

  it('answers bad JSON with 400 naming the problem', async () => {
    before = jobCount();
    for (const text of ['{"spec":', '{spec: 1}', "{'a':1}", '{"a":1}}', 'NaN']) {
      const response = await post(text);
      expect(response.status, text).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(errorOf(response).message, text).toMatch(/^the body is not valid JSON: \S/);
    }
  });

  it('answers a body that is JSON but no object with 400 (null, an array, a string)', async () => {
    before = jobCount();
    for (const text of ['null', '[]', '"jobs"', '3']) {
      const response = await post(text);
      expect(response.status, text).toBe(400);
      expect(errorOf(response).message).toContain('must be a JSON object');
    }
  });

  it('answers invalid UTF-8 with 400', async () => {
    before = jobCount();
    const response = await post(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
    expect(response.status).toBe(400);
    expect(errorOf(response).message).toBe('the body is not valid UTF-8');
  });

  it('answers a body that is not JSON with 415 (no content type, another type, another charset)', async () => {
    before = jobCount();
    for (const headers of [{} as Record<string, string>, { 'Content-Type': 'text/plain' }, { 'Content-Type': 'application/x-www-form-urlencoded' }, { 'Content-Type': 'application/json; charset=latin1' }]) {
      const response = await post(JSON.stringify(START), headers);
      expect(response.status, JSON.stringify(headers)).toBe(415);
      expect(errorOf(response).code).toBe('INVALID_REQUEST');
    }
    // The charset named in any case, quoted or not, is fine when it is UTF-8.
    expect((await httpCall(port, { path: '/api/v1/jobs.list', headers: { ...bearer(), 'Content-Type': 'Application/JSON; Charset="UTF-8"' }, body: '{}' })).status).toBe(200);
  });

  it('refuses a declared body beyond the cap before reading it (413), and closes the connection', async () => {
    before = jobCount();
    const answer = await rawExchange(
      port,
      [`POST /api/v1/jobs.start HTTP/1.1`, `Host: ${hostHeader}`, `Authorization: Bearer ${TEST_TOKEN}`, 'Content-Type: application/json', `Content-Length: ${MAX_BODY_BYTES + 1}`, '', '{"spec":'].join('\r\n'),
      { endWrite: false },
    );
    expect(statusOf(answer)).toBe(413);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain(`larger than the limit of ${MAX_BODY_BYTES} bytes`);
  });

  it('refuses a streamed (chunked) body once it passes the cap (413)', async () => {
    before = jobCount();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/jobs.start', method: 'POST', headers: { ...bearer(), ...JSON_TYPE } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // The server may close while we are still writing: that is the point.
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const writeMore = () => {
        while (sent <= MAX_BODY_BYTES + chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', writeMore);
        }
        req.end();
      };
      writeMore();
    });
    expect(status).toBe(413);
  });

  it('takes an empty body as {} for a command without arguments', async () => {
    before = jobCount();
    const response = await httpCall(port, { path: '/api/v1/jobs.list', headers: bearer() });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ jobs: expect.any(Array) });
  });
});

describe('API paths and methods', () => {
  it('answers GET on a command with 405 (Allow: POST), and an unknown command with 404 UNKNOWN_COMMAND', async () => {
    const get = await httpCall(port, { method: 'GET', path: '/api/v1/jobs.list', headers: bearer() });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    for (const path of ['/api/v1/jobs.explode', '/api/v1/jobs%2Elist', '/api/v1/', '/api/v2/jobs.list', '/api/v1/jobs.list/']) {
      const response = await httpCall(port, { path, headers: { ...bearer(), ...JSON_TYPE }, body: '{}' });
      expect(response.status, path).toBe(404);
      expect(errorOf(response).code).toBe('UNKNOWN_COMMAND');
    }
  });
});

describe("the contract's typed errors get their status from the one table", () => {
  async function expectError(name: string, request: unknown, code: ErrorCode) {
    const response = await apiPost(port, name, request);
    expect(errorOf(response).code, response.text).toBe(code);
    expect(response.status).toBe(ERROR_STATUS[code]);
  }

  it('INVALID_REQUEST 400, NOT_FOUND 404, INVALID_SPEC / COMMAND_NOT_FOUND / CWD_NOT_FOUND 422, BAD_STATE 409, POLICY_DENIED 403', async () => {
    await expectError('jobs.stop', { jobId: 'no-such-job' }, 'NOT_FOUND');
    await expectError('jobs.start', { spec: { command: { kind: 'argv', program: '   ' } } }, 'INVALID_REQUEST');
    await expectError('batches.submit', { lines: '# only a comment\n' }, 'INVALID_SPEC');
    await expectError('jobs.start', { spec: { command: { kind: 'argv', program: 'true' }, runAs: { uid: 'procdeck-no-such-user' } } }, 'INVALID_SPEC');
    await expectError('jobs.start', { spec: { command: { kind: 'argv', program: 'procdeck-no-such-program' } } }, 'COMMAND_NOT_FOUND');
    await expectError('jobs.start', { spec: { command: { kind: 'argv', program: 'true' }, cwd: '/procdeck/no/such/dir' } }, 'CWD_NOT_FOUND');
    const { job } = await apiCall(port, 'jobs.start', { spec: { command: { kind: 'argv', program: 'sleep', args: ['300'] } } });
    await expectError('jobs.remove', { jobId: job.id }, 'BAD_STATE');
    await apiCall(port, 'jobs.kill', { jobId: job.id });

    const settings = await apiCall(port, 'settings.get', {});
    await apiCall(port, 'settings.update', { commandPolicy: { allow: [], deny: ['sleep'], allowShellJobs: false } });
    try {
      await expectError('jobs.start', { spec: { command: { kind: 'argv', program: 'sleep', args: ['1'] } } }, 'POLICY_DENIED');
    } finally {
      await apiCall(port, 'settings.update', { commandPolicy: settings.commandPolicy });
    }
  });

  it('gives every error code of the contract a 4xx or 5xx status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) expect(status >= 400 && status < 600, code).toBe(true);
  });
});
