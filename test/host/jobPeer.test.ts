// A job runs as the operator's user unless told otherwise, so the socket's uid check admits it:
// without a check of its own, a job could drive Procdeck as the operator (stop other jobs, lift
// the command policy its own start was checked against). The endpoint refuses a process of one
// of the engine's runs, found by its cgroup or, without cgroups, by its marker.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { capabilities, findBinary } from '../../electron/engine/isolation/capabilities';
import { closeEngines, openEngine, tailText, waitForState } from '../engine/helpers';
import { closeEndpoints, RawLocalClient, startEndpoint } from './localEndpointHelpers';

afterEach(closeEndpoints);
afterAll(closeEngines);

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
