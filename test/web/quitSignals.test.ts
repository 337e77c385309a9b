import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import { generateToken } from '../../electron/web/auth';
import { closeEngines, openEngine } from '../engine/helpers';
import { processesWith, uniqueToken } from '../engine/escapees';
import { waitFor } from '../support/wait';
import { startHostChild, stopHostChildren, type HostChild } from './hostChild';

afterEach(async () => {
  await stopHostChildren();
  await closeEngines();
});

async function api<T>(host: HostChild, token: string, command: string, body: unknown): Promise<T> {
  const response = await fetch(`${host.origin}/api/v1/${command}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(`${command}: ${answer.error?.message}`);
  return answer;
}

/** A host whose stdout is a pipe we then close (as `| tee log` with tee ended by the same Ctrl+C), running one job that stops on SIGTERM. */
async function hostWithAJob(): Promise<{ host: HostChild; sleepToken: string; jobId: string }> {
  const token = generateToken();
  const host = await startHostChild({ token });
  const sleepToken = uniqueToken();
  // The trap says it got TERM, then exits on its own: a clean stop the test can see in the log.
  const script = `trap 'echo got TERM; exit 0' TERM; echo ready; sleep ${sleepToken} & wait`;
  const { job } = await api<{ job: JobSnapshot }>(host, token, 'jobs.start', { spec: { name: 'quitter', command: { kind: 'shell', script } } });
  await waitFor(() => processesWith(sleepToken).length >= 2, `the job's shell and sleep (${sleepToken}) to run`);
  await waitFor(async () => (await api<{ chunks: { text: string }[] }>(host, token, 'logs.tail', { jobId: job.id })).chunks.some((c) => c.text.includes('ready')), 'the job to say ready');
  host.process.stdout!.destroy();
  return { host, sleepToken, jobId: job.id };
}

/** What a clean shutdown leaves: no job process, no lock, no socket, no temporary file; a new engine on it finds nothing to reap. */
async function expectCleanlyStopped(host: HostChild, sleepToken: string, jobId: string): Promise<void> {
  expect(await host.exited).toBe(0);
  expect(processesWith(sleepToken)).toEqual([]);
  const left = readdirSync(host.dataDir);
  expect(left).not.toContain('engine.lock');
  expect(left).not.toContain('procdeck.sock');
  expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  expect(host.stderr()).not.toContain('uncaught exception');
  expect(host.stderr()).toContain('stopping every job');
  expect(host.stderr()).toContain('Procdeck: every job has stopped; exiting.');
  const logDir = join(host.dataDir, 'logs', jobId);
  const log = readdirSync(logDir).map((name) => readFileSync(join(logDir, name), 'utf8')).join('');
  expect(log).toContain('got TERM');
  const engine = openEngine({ dataDir: host.dataDir });
  expect(engine.recovered).toEqual([]);
}

describe('quitting browser mode from a terminal, its stdout piped into a tee that is gone', () => {
  it('Ctrl+C under npm (SIGINT twice at once: from the terminal and passed on by npm) stops the jobs cleanly, and EPIPE on stdout is dropped', async () => {
    const { host, sleepToken, jobId } = await hostWithAJob();
    host.process.kill('SIGINT');
    host.process.kill('SIGINT');
    await expectCleanlyStopped(host, sleepToken, jobId);
  });

  it.each(['SIGTERM', 'SIGHUP'] as const)('%s stops the jobs cleanly and says so', async (signal) => {
    const { host, sleepToken, jobId } = await hostWithAJob();
    host.process.kill(signal);
    await expectCleanlyStopped(host, sleepToken, jobId);
  });
});
