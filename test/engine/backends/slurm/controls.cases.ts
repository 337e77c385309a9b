import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseProcStat } from '../../../../electron/engine/monitor/procStat';
import { memoryPageSize } from '../../../../electron/engine/monitor/systemConstants';
import { waitFor } from '../../../support/wait';
import { FINAL, jobDir, readText, submitIn, untilFileMatches, untilState } from '../../../support/slurm/slurmJobs';
import type { SlurmTestContext } from './context';

function procEntry(pid: number) {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), memoryPageSize());
  } catch {
    return undefined;
  }
}

/** Live processes whose environment holds NAME=value: every descendant of a job inherits it. */
function processesWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(wanted)) continue;
    } catch {
      continue;
    }
    const state = procEntry(Number(entry))?.state;
    if (state !== undefined && state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}

const pidIn = (dir: string, file: string) => {
  const pid = Number(readText(join(dir, file)).trim());
  return pid > 0 ? pid : undefined;
};

export function controlCases({ cluster, client }: SlurmTestContext): void {
  it('cancels the whole tree of a job, a setsid child in its own session included: nothing survives', async () => {
    const dir = jobDir(cluster(), 'tree');
    const token = randomBytes(8).toString('hex');
    const script = [
      `setsid sh -c 'echo $$ > escaped.pid; while :; do sleep 1; done' &`,
      'sleep 1000 & echo $! > child.pid',
      'echo $$ > main.pid',
      'wait',
    ].join('\n');
    const job = await submitIn(client(), dir, { command: { kind: 'shell', script }, env: { set: { PROCDECK_TREE_TOKEN: token } } });
    await untilState(client(), job.jobId, 'running');
    const [main, child, escaped] = await waitFor(() => {
      const pids = ['main.pid', 'child.pid', 'escaped.pid'].map((f) => pidIn(dir, f));
      return pids.every((p) => p !== undefined && procEntry(p) !== undefined) ? (pids as number[]) : undefined;
    }, 'the job and its children to write their pids');
    expect(procEntry(escaped!)!.sid).not.toBe(procEntry(main!)!.sid);
    expect(processesWithEnv('PROCDECK_TREE_TOKEN', token)).toEqual(expect.arrayContaining([main, child, escaped]));

    await client().cancel(job.jobId);
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.view.state).toBe('killed');
    await waitFor(() => processesWithEnv('PROCDECK_TREE_TOKEN', token).length === 0, () => `every process of the job to be gone (left: ${processesWithEnv('PROCDECK_TREE_TOKEN', token).join(', ')})`, 30_000);
  }, 90_000);

  it('sends a signal to the batch script and all it started (scancel --signal --full)', async () => {
    const dir = jobDir(cluster(), 'usr1');
    const script = `trap 'echo got USR1; exit 0' USR1; echo ready; while :; do sleep 0.1; done`;
    const job = await submitIn(client(), dir, { command: { kind: 'shell', script } });
    await untilFileMatches(job.stdoutPath, /^ready$/m);
    await client().signal(job.jobId, 'SIGUSR1');
    await untilFileMatches(job.stdoutPath, /^got USR1$/m);
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.view).toMatchObject({ state: 'exited', exitCode: 0 });
  }, 60_000);

  it('suspends every process of a job (paused, stopped in /proc) and resumes it', async () => {
    const dir = jobDir(cluster(), 'suspend');
    const job = await submitIn(client(), dir, { command: { kind: 'shell', script: 'echo $$ > pid; while :; do :; done' } });
    await untilState(client(), job.jobId, 'running');
    const pid = await waitFor(() => pidIn(dir, 'pid'), 'the job to write its pid');

    await client().suspend(job.jobId);
    expect((await untilState(client(), job.jobId, 'paused')).view).toMatchObject({ slurmState: 'SUSPENDED' });
    await waitFor(() => procEntry(pid)?.state === 'T', () => `process ${pid} to be stopped (is ${procEntry(pid)?.state})`);

    await client().resume(job.jobId);
    await untilState(client(), job.jobId, 'running');
    await waitFor(() => ['R', 'S'].includes(procEntry(pid)?.state ?? ''), () => `process ${pid} to run again (is ${procEntry(pid)?.state})`);
    await expect(client().resume(job.jobId)).rejects.toMatchObject({ kind: 'bad-state' });

    await client().signal(job.jobId, 'SIGKILL');
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.view.state).toBe('killed');
  }, 90_000);
}
