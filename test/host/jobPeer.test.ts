// A job runs as the operator's user unless told otherwise, so the socket's uid check admits it,
// and it can read the browser host's token file: without a check of their own, both hosts
// would let a job drive Procdeck as the operator (stop other jobs, lift the command policy its
// own start was checked against). Each refuses a process of one of the engine's runs, found by
// its cgroup or, without cgroups, by its marker.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { capabilities, findBinary } from '../../electron/engine/isolation/capabilities';
import { closeEngines, openEngine, tailText, waitForState } from '../engine/helpers';
import { apiCall } from '../web/apiHelpers';
import { closeHosts, rawRequest, removeFakeRenderers, startTestHost, TEST_TOKEN, tryUpgrade } from '../web/helpers';
import { closeEndpoints, RawLocalClient, startEndpoint } from './localEndpointHelpers';

afterEach(async () => {
  await closeEndpoints();
  await closeHosts();
});
afterAll(async () => {
  await closeEngines();
  removeFakeRenderers();
});

const noCgroups = { ...capabilities(), cgroup: undefined, cgroupProblem: 'test: no cgroups', tracking: undefined, trackingProblem: 'test: no cgroups' };

// Connects to the socket, sends a request that would stop a job, prints what came back, line by line, until the host closes.
const CONNECT = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((json.dumps({"type": "invoke", "id": 1, "name": "jobs.stop", "request": {"jobId": sys.argv[2]}}) + "\\n").encode())
for line in s.makefile():
    print(line.strip(), flush=True)
`;

describe.each([
  ['its cgroup', undefined],
  ['its marker (no cgroups)', noCgroups],
] as const)("a job's process, found by %s", (_how, caps) => {
  it('is refused by the CLI socket, naming the job; the operator is served', async () => {
    expect(findBinary('python3'), 'this test needs python3 (the job connects with it)').toBeDefined();
    const engine = openEngine(caps && { capabilities: caps });
    const { endpoint, warnings } = await startEndpoint({ engine });
    const victim = engine.jobs.start({ name: 'victim', command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    await waitForState(engine, victim.id, 'running');
    const job = engine.jobs.start({ name: 'intruder', command: { kind: 'argv', program: 'python3', args: ['-c', CONNECT, endpoint.path, victim.id] } });
    const ended = await waitForState(engine, job.id, ['exited', 'killed']);
    expect(ended.exitCode).toBe(0);
    const replies = tailText(engine, job.id).trim().split('\n').map((line) => JSON.parse(line) as { type: string; message?: string });
    expect(replies).toEqual([{ type: 'refused', message: expect.stringMatching(/^refused: pid \d+ is a process of job intruder \(run [\w-]+\): a job cannot drive Procdeck$/) }]);
    expect(engine.jobs.get(victim.id).state).toBe('running');
    expect(warnings.join('\n')).toMatch(/refused a connection .* a job cannot drive Procdeck/);
    // The operator's own client (this process, no job's) is served.
    const operator = await RawLocalClient.connect(endpoint.path);
    expect(operator.messages[0]).toMatchObject({ type: 'hello' });
    engine.jobs.kill(victim.id);
    await waitForState(engine, victim.id, 'killed');
  });
});

// Asks the HTTP API to stop a job with the token (as a job that read <data dir>/browser-url
// would), and prints the status and body.
const CALL_API = `
import json, sys, urllib.request, urllib.error
request = urllib.request.Request('http://127.0.0.1:%s/api/v1/jobs.stop' % sys.argv[1], data=json.dumps({"jobId": sys.argv[2]}).encode(), headers={"Authorization": "Bearer " + sys.argv[3], "Content-Type": "application/json"})
try:
    answer = urllib.request.urlopen(request, timeout=10)
    print(answer.status, answer.read().decode().strip())
except urllib.error.HTTPError as error:
    print(error.code, error.read().decode().strip())
`;

describe.each([
  ['its cgroup', undefined],
  ['its marker (no cgroups)', noCgroups],
] as const)("a job's process holding the token, found by %s", (_how, caps) => {
  it('is refused by the HTTP API, naming the job; the operator is served with the same token', async () => {
    expect(findBinary('python3'), 'this test needs python3 (the job connects with it)').toBeDefined();
    const engine = openEngine(caps && { capabilities: caps });
    const { host } = await startTestHost({ engine });
    const victim = engine.jobs.start({ name: 'victim', command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    await waitForState(engine, victim.id, 'running');
    const job = engine.jobs.start({ name: 'intruder', command: { kind: 'argv', program: 'python3', args: ['-c', CALL_API, String(host.port), victim.id, TEST_TOKEN] } });
    const ended = await waitForState(engine, job.id, ['exited', 'killed']);
    expect(ended.exitCode).toBe(0);
    expect(tailText(engine, job.id).trim()).toMatch(/^403 the process at the other end of this connection is a process of job intruder \(run [\w-]+\): a job cannot drive Procdeck$/);
    expect(engine.jobs.get(victim.id).state).toBe('running');
    // This process is no job's: the same request with the same token goes through.
    await apiCall(host.port, 'jobs.stop', { jobId: victim.id });
    await waitForState(engine, victim.id, 'killed');
  });
});

// Tries the browser host four ways from inside a job, one connection each, and prints each
// status line: the API without the token, a login code, the page and the WebSocket with the token.
const KNOCK = `
import socket, sys
port, code, token = sys.argv[1], sys.argv[2], sys.argv[3]
def status(head):
    s = socket.create_connection(('127.0.0.1', int(port)), timeout=10)
    s.sendall((head + 'Host: 127.0.0.1:%s\\r\\nConnection: close\\r\\n\\r\\n' % port).encode())
    print(s.makefile('rb').readline().decode().strip(), flush=True)
    s.close()
status('POST /api/v1/jobs.list HTTP/1.1\\r\\nContent-Type: application/json\\r\\nContent-Length: 0\\r\\n')
status('GET /?login=%s HTTP/1.1\\r\\n' % code)
status('GET /?token=%s HTTP/1.1\\r\\n' % token)
status('GET /ws?token=%s HTTP/1.1\\r\\nOrigin: http://127.0.0.1:%s\\r\\nUpgrade: websocket\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n' % (token, port))
`;

describe("a job's process at the browser host", () => {
  it('without the token is refused by the access policy (401); with it, the page and the WebSocket refuse it as a job (403); a login code it tries stays good for the operator', async () => {
    expect(findBinary('python3'), 'this test needs python3 (the job connects with it)').toBeDefined();
    const engine = openEngine();
    const { host } = await startTestHost({ engine });
    const code = new URL(host.loginUrl()).searchParams.get('login')!;
    const job = engine.jobs.start({ name: 'knocker', command: { kind: 'argv', program: 'python3', args: ['-c', KNOCK, String(host.port), code, TEST_TOKEN] } });
    const ended = await waitForState(engine, job.id, ['exited', 'killed']);
    expect(ended.exitCode, tailText(engine, job.id)).toBe(0);
    expect(tailText(engine, job.id).trim().split('\n')).toEqual(['HTTP/1.1 401 Unauthorized', 'HTTP/1.1 401 Unauthorized', 'HTTP/1.1 403 Forbidden', 'HTTP/1.1 403 Forbidden']);
    // The code the job sent was not used up: the operator logs in with it.
    const login = await rawRequest(host.port, `/?login=${code}`);
    expect(login.status).toBe(303);
    const opened = await tryUpgrade(`ws://127.0.0.1:${host.port}/ws?token=${TEST_TOKEN}`, { origin: `http://127.0.0.1:${host.port}` });
    expect(opened).toHaveProperty('opened');
    if ('opened' in opened) opened.opened.terminate();
  });
});
