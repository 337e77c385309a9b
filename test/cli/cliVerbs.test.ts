import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../shared/contract';
import { jobSnapshotSchema, type JobSnapshot } from '../../shared/jobSnapshot';
import { procState, waitFor } from '../engine/helpers';
import { BIN, cli, cliOk, ensureBuilt, scratchDir, spawnCli, startServe, stopServers, type ServeChild } from './cliHelpers';

// Every verb against a real browser host child (`procdeck serve`, the build, plain node),
// run as the operator would: the package's bin, its exit code and what it prints.

let host: ServeChild;
let dir: string;
const withDir = (args: string[]) => ['--data-dir', dir, ...args];

beforeAll(async () => {
  await ensureBuilt();
  const dataDir = join(scratchDir(), 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  // Enough slots that no test's job waits in the queue behind another's.
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ maxConcurrent: 32 }));
  host = await startServe(dataDir);
  dir = host.dataDir;
}, 180_000);
afterAll(stopServers);

async function status(ref: string): Promise<JobSnapshot> {
  const run = await cliOk(withDir(['status', ref, '--json']));
  return jobSnapshotSchema.parse(JSON.parse(run.stdout));
}

const waitForState = (ref: string, states: string[]) =>
  waitFor(
    async () => {
      const job = await status(ref);
      return states.includes(job.state) ? job : undefined;
    },
    `${ref} to be ${states.join('/')}`,
  );

async function logsOf(ref: string): Promise<string> {
  return (await cliOk(withDir(['logs', ref]))).stdout;
}

async function startJob(args: string[]): Promise<JobSnapshot> {
  const run = await cliOk(withDir(['start', '--json', ...args]));
  return commands['jobs.start'].response.parse(JSON.parse(run.stdout)).job;
}

describe('listing and starting', () => {
  it('ls --json is jobs.list’s own answer; ls prints an aligned table', async () => {
    const list = commands['jobs.list'].response.parse(JSON.parse((await cliOk(withDir(['ls', '--json']))).stdout));
    const started = await startJob(['--name', 'listed', '--', 'sleep', '300']);
    const after = commands['jobs.list'].response.parse(JSON.parse((await cliOk(withDir(['ls', '--json']))).stdout));
    expect(after.jobs.map((j) => j.id)).toEqual([...list.jobs.map((j) => j.id), started.id]);

    const table = (await cliOk(withDir(['ls']))).stdout.split('\n');
    expect(table[0]).toMatch(/^ID +NAME +STATE +PID +GROUP +TIME +COMMAND$/);
    const row = table.find((line) => line.startsWith(started.id))!;
    expect(row).toContain('listed');
    expect(row).toContain('sleep 300');
    // Aligned: every row's NAME starts where the header's does.
    expect(row.indexOf('listed')).toBe(table[0]!.indexOf('NAME'));
    expect(table.join('\n')).not.toContain('\u001b['); // not a terminal: no colour
    await cliOk(withDir(['kill', started.id]));
  });

  it('start -- PROGRAM ARGS runs it as given: name, working directory, environment, group, cores', async () => {
    const cwd = scratchDir('procdeck-cwd-');
    const run = await cli(withDir(['start', '--json', '--name', 'argv-job', '--env', 'GREETING=hi there', '--group', 'cli', '--cores', '0', '--', 'sh', '-c', 'echo "$GREETING from $(pwd)"; exec sleep 300']), { cwd });
    expect(run.code).toBe(0);
    const { job } = commands['jobs.start'].response.parse(JSON.parse(run.stdout));
    expect(job).toMatchObject({
      name: 'argv-job',
      spec: { command: { kind: 'argv', program: 'sh', args: ['-c', 'echo "$GREETING from $(pwd)"; exec sleep 300'] }, cwd, env: { set: { GREETING: 'hi there' } }, group: 'cli', affinity: { mode: 'fixed', cores: [0] } },
    });
    const running = await waitForState('argv-job', ['running']);
    await waitFor(async () => (await logsOf('argv-job')).includes(`hi there from ${cwd}`), 'the job’s line in its log');
    expect(readFileSync(`/proc/${running.pid}/status`, 'utf8')).toMatch(/^Cpus_allowed_list:\s+0$/m);
    await cliOk(withDir(['kill', 'argv-job']));
  });

  it('start --shell runs a script; the human answer names the job and its state', async () => {
    const run = await cliOk(withDir(['start', '--name', 'shell-job', '--shell', 'echo one; echo two >&2']));
    expect(run.stdout).toMatch(/^started shell-job \(id \S+\): (queued|starting|running|exited \(0\))\n$/);
    await waitForState('shell-job', ['exited']);
    const logs = await cli(withDir(['logs', 'shell-job']));
    // Where the job wrote it: stdout to stdout, stderr to stderr.
    expect(logs).toMatchObject({ code: 0, stdout: 'one\n' });
    expect(logs.stderr).toContain('two\n');
  });

  it('status shows one job, field by field; --json is its snapshot', async () => {
    const job = await startJob(['--name', 'described', '--group', 'docs', '--', 'sleep', '300']);
    await waitForState(job.id, ['running']);
    const human = (await cliOk(withDir(['status', 'described']))).stdout;
    expect(human).toMatch(new RegExp(`^described ${job.id}\\n`));
    expect(human).toMatch(/^ {2}state +running \(pid \d+, group \d+\)$/m);
    expect(human).toMatch(/^ {2}command +sleep 300$/m);
    expect(human).toMatch(/^ {2}group +docs$/m);
    expect(human).toMatch(/^ {2}runs +1 \(restarts: 0 automatic, 0 by hand\)$/m);
    expect((await status(job.id)).spec.group).toBe('docs');
    await cliOk(withDir(['kill', job.id]));
  });
});

describe('acting on jobs', () => {
  it('pause and resume stop and continue the job’s processes', async () => {
    const job = await startJob(['--name', 'pausable', '--', 'sleep', '300']);
    const { pid } = await waitForState(job.id, ['running']);
    expect((await cliOk(withDir(['pause', 'pausable']))).stdout).toMatch(/^paused pausable \(id \S+\): paused\n$/);
    await waitFor(() => procState(pid!) === 'T', 'the job’s process to be stopped (T in /proc)');
    await cliOk(withDir(['resume', 'pausable']));
    await waitFor(() => procState(pid!) === 'S', 'the job’s process to sleep again');
    await cliOk(withDir(['kill', 'pausable']));
  });

  it('signal sends the signal named, with or without SIG, in any case', async () => {
    const job = await startJob(['--name', 'trapper', '--shell', "trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.05; done"]);
    await waitFor(async () => (await logsOf(job.id)).includes('ready'), 'the trap to be set');
    const sent = await cliOk(withDir(['signal', 'usr1', 'trapper']));
    expect(sent.stdout).toMatch(/^sent SIGUSR1 to trapper/);
    await waitFor(async () => (await logsOf(job.id)).includes('got USR1'), 'the job to get SIGUSR1');
    await cliOk(withDir(['signal', 'SIGKILL', job.id]));
    expect((await waitForState(job.id, ['killed'])).signal).toBe('SIGKILL');
  });

  it('stop, kill and restart act on every job named, in order', async () => {
    const a = await startJob(['--name', 'multi-a', '--', 'sleep', '300']);
    const b = await startJob(['--name', 'multi-b', '--', 'sleep', '300']);
    await waitForState(a.id, ['running']);
    await waitForState(b.id, ['running']);
    await cliOk(withDir(['restart', 'multi-a']));
    await waitFor(async () => (await status(a.id)).runCount === 2 && (await status(a.id)).state === 'running', 'multi-a’s second run');
    const stopped = await cliOk(withDir(['stop', 'multi-a', b.id, '--json']));
    const answers = stopped.stdout.trim().split('\n').map((line) => commands['jobs.stop'].response.parse(JSON.parse(line)));
    expect(answers.map((a) => a.job.id)).toEqual([a.id, b.id]);
    expect((await waitForState(a.id, ['killed'])).signal).toBe('SIGTERM');
    await waitForState(b.id, ['killed']);
    // Already ended: the engine says so, the CLI passes it on and exits 1.
    const again = await cli(withDir(['kill', 'multi-a']));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/multi-a \(id \S+\): .*not running.*\[BAD_STATE\]/);
  });

  it('runs lists a job’s runs newest first, as a table and as jobs.runs’s own answer', async () => {
    const job = await startJob(['--name', 'history', '--shell', 'echo run; exit 3']);
    await waitForState(job.id, ['exited']);
    await cliOk(withDir(['restart', 'history']));
    await waitFor(async () => {
      const now = await status(job.id);
      return now.runCount === 2 && now.state === 'exited';
    }, 'history’s second run to end');
    const answer = commands['jobs.runs'].response.parse(JSON.parse((await cliOk(withDir(['runs', 'history', '--json']))).stdout));
    expect(answer.runs.map((run) => [run.number, run.state, run.exitCode])).toEqual([
      [2, 'exited', 3],
      [1, 'exited', 3],
    ]);
    const table = (await cliOk(withDir(['runs', job.id]))).stdout.split('\n');
    expect(table[0]).toMatch(/^RUN +STATE +STARTED +TIME +PEAK CPU +PEAK MEM +OUTPUT +REASON$/);
    expect(table[1]).toMatch(/^ #2 +exited \(3\) +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);
    expect(table[2]).toMatch(/^ #1 +exited \(3\) /);
    expect((await cliOk(withDir(['runs', job.id, '--limit', '1', '--json']))).stdout).toContain('"number":2');
    const bad = await cli(withDir(['runs', job.id, '--limit', '0']));
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/--limit is a whole number of at least 1, not "0"/);
  });

  it('logs --run N prints that run’s output from its log file; with -f it exits with that run’s code; a run not kept is named', async () => {
    const counter = join(scratchDir(), 'count');
    const job = await startJob(['--name', 'numbered', '--shell', `n=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 )); echo $n > ${counter}; echo "run $n"; exit $n`]);
    await waitForState(job.id, ['exited']);
    await cliOk(withDir(['restart', 'numbered']));
    await waitFor(async () => {
      const now = await status(job.id);
      return now.runCount === 2 && now.state === 'exited' ? now : undefined;
    }, 'numbered’s second run to end');
    expect(await cli(withDir(['logs', 'numbered', '--run', '1']))).toMatchObject({ code: 0, stdout: 'run 1\n' });
    expect(await cli(withDir(['logs', 'numbered', '--run', '2']))).toMatchObject({ code: 0, stdout: 'run 2\n' });
    expect(await logsOf('numbered')).toBe('run 2\n');
    const followed = await cli(withDir(['logs', '-f', 'numbered', '--run', '1']));
    expect(followed).toMatchObject({ code: 1, stdout: 'run 1\n' });
    expect(followed.stderr).toMatch(/numbered exited with code 1/);
    const missing = await cli(withDir(['logs', 'numbered', '--run', '3']));
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/numbered has no run 3: the runs kept are 1–2.*\[NOT_FOUND\]/);
    expect(await cli(withDir(['logs', 'numbered', '--run', '0']))).toMatchObject({ code: 2, stdout: '' });
  });

  it('refuses a name several jobs share, listing their ids, and acts on none of them', async () => {
    const one = await startJob(['--name', 'twin', '--', 'sleep', '300']);
    const two = await startJob(['--name', 'twin', '--', 'sleep', '300']);
    const run = await cli(withDir(['stop', 'twin']));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^procdeck: 2 jobs are named "twin"; give one of their ids: ${one.id} \\(\\S+\\), ${two.id} \\(\\S+\\)\n$`));
    for (const job of [one, two]) expect((await status(job.id)).state).not.toMatch(/stopping|killed/);
    await cliOk(withDir(['kill', one.id, two.id]));
  });

  it('exits 1 with the engine’s reason when a request fails, and changes nothing', async () => {
    const jobIds = async () => commands['jobs.list'].response.parse(JSON.parse((await cliOk(withDir(['ls', '--json']))).stdout)).jobs.map((j) => j.id);
    const before = await jobIds();
    const missing = await cli(withDir(['start', '--', '/nonexistent/program']));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^procdeck: command not found: \/nonexistent\/program.*\[COMMAND_NOT_FOUND\]\n$/);
    const unknown = await cli(withDir(['status', 'no-such-job']));
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'procdeck: no job has the id or name "no-such-job" (procdeck ls lists them)\n' });
    const invalid = await cli(withDir(['start', '--name', 'x'.repeat(300), '--', 'true']));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('name is longer than 200 characters');
    // Refused before anything was spawned or recorded.
    expect(await jobIds()).toEqual(before);
  });
});

describe('logs and wait', () => {
  it('logs -f follows a live job to its end and exits with the run’s exit code', async () => {
    const gate = join(scratchDir('procdeck-gate-'), 'go');
    const job = await startJob(['--name', 'followed', '--shell', `echo first; while [ ! -e ${gate} ]; do sleep 0.05; done; echo second; echo oops >&2; exit 5`]);
    const follower = spawnCli(withDir(['logs', '-f', job.id]));
    await waitFor(() => follower.stdout().includes('first\n'), () => `the follower to print the first line (stdout ${JSON.stringify(follower.stdout())}, stderr ${JSON.stringify(follower.stderr())})`);
    writeFileSync(gate, '');
    const run = await follower.done;
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('first\nsecond\n');
    expect(run.stderr).toContain('oops\n');
    expect(run.stderr).toContain('[procdeck] followed exited with code 5');
  });

  it('logs -f of a job that has ended prints its output and exits with its code at once; --lines keeps the last N', async () => {
    const job = await startJob(['--name', 'counted', '--shell', 'for i in 1 2 3 4 5; do echo line $i; done; exit 2']);
    await waitForState(job.id, ['exited']);
    expect(await cli(withDir(['logs', '-f', 'counted']))).toMatchObject({ code: 2, stdout: 'line 1\nline 2\nline 3\nline 4\nline 5\n' });
    expect(await cli(withDir(['logs', 'counted', '--lines', '2']))).toMatchObject({ code: 0, stdout: 'line 4\nline 5\n' });
    expect(await cli(withDir(['logs', 'counted', '--lines', '0']))).toMatchObject({ code: 0, stdout: '' });
  });

  it('wait exits with the job’s exit code: its own, 128+N for signal N', async () => {
    const gate = join(scratchDir('procdeck-gate-'), 'go');
    const job = await startJob(['--name', 'awaited', '--shell', `while [ ! -e ${gate} ]; do sleep 0.05; done; exit 3`]);
    const waiter = spawnCli(withDir(['wait', 'awaited']));
    await waitForState(job.id, ['running']);
    writeFileSync(gate, '');
    expect(await waiter.done).toMatchObject({ code: 3, stdout: `awaited (id ${job.id}) exited with code 3\n` });

    const killed = await startJob(['--name', 'killed-while-awaited', '--', 'sleep', '300']);
    await waitForState(killed.id, ['running']);
    const second = spawnCli(withDir(['wait', killed.id]));
    await cliOk(withDir(['kill', killed.id]));
    expect((await second.done).code).toBe(128 + 9);
  });
});

describe('finding the instance and printing safely', () => {
  it('takes --data-dir after the verb, and PROCDECK_DATA_DIR', async () => {
    expect((await cli(['ls', '--json', '--data-dir', dir])).code).toBe(0);
    expect((await cli(['ls', '--json'], { env: { PROCDECK_DATA_DIR: dir } })).code).toBe(0);
  });

  it('shows a hostile job name escaped, never as terminal control sequences', async () => {
    const job = await startJob(['--name', 'evil\u001b[2J\u001b]0;pwned\u0007name', '--', 'true']);
    const table = (await cliOk(withDir(['ls']))).stdout;
    expect(table).toContain('evil\\u{1b}[2J\\u{1b}]0;pwned\\u{7}name');
    expect(table).not.toContain('\u001b');
    expect((await cliOk(withDir(['status', job.id]))).stdout).not.toContain('\u001b');
  });

  it('colours on a terminal, and not with NO_COLOR', async () => {
    await startJob(['--name', 'colourful', '--', 'true']);
    const coloured = await lsOnTerminal({});
    expect(coloured).toContain('\u001b[1mID');
    const plain = await lsOnTerminal({ NO_COLOR: '1' });
    expect(plain).toContain('ID');
    expect(plain).not.toContain('\u001b[');
  });
});

/** `procdeck ls` with a pseudo-terminal as stdout (util-linux `script`), returning what it drew. */
async function lsOnTerminal(env: NodeJS.ProcessEnv): Promise<string> {
  const { NO_COLOR: _no, FORCE_COLOR: _force, ...base } = process.env;
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --data-dir ${JSON.stringify(dir)} ls`;
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...base, ...env, TERM: 'xterm' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  await new Promise((resolve) => child.once('close', resolve));
  return out;
}

