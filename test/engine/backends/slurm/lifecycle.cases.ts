import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OutputFollower } from '../../../../electron/engine/backends/slurm/outputFollower';
import { parseIdList } from '../../../../electron/engine/backends/slurm/scontrolJob';
import { CpuRate, type JobUsage } from '../../../../electron/engine/backends/slurm/sstatUsage';
import { parseProcStat } from '../../../../electron/engine/monitor/procStat';
import { clockTicksPerSecond, memoryPageSize } from '../../../../electron/engine/monitor/systemConstants';
import { waitForSlurm } from '../../../support/slurm/slurmWait';
import { FINAL, jobDir, readText, submitIn, untilFileMatches, untilState } from '../../../support/slurm/slurmJobs';
import type { SlurmTestContext } from './context';

/** CPU seconds the kernel has counted for a process (utime + stime). */
function kernelCpuSeconds(pid: number): number {
  const entry = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), memoryPageSize());
  if (!entry) throw new Error(`no stat for ${pid}`);
  return entry.cpuTicks / clockTicksPerSecond();
}

export function lifecycleCases({ cluster, client }: SlurmTestContext): void {
  it('runs an argv job on the node and the cores Slurm allocated, and its CPU time rises as the kernel counts it', async () => {
    const dir = jobDir(cluster(), 'busy');
    const busy = 'echo $$ > pid; grep Cpus_allowed_list /proc/self/status; echo ready; while :; do :; done';
    const job = await submitIn(client(), dir, { name: 'busy', command: { kind: 'argv', program: '/bin/sh', args: ['-c', busy] }, memoryBytes: 32 << 20 });

    const running = await untilState(client(), job.jobId, 'running');
    expect(running.nodes).toBe(cluster().nodeName);
    expect(running.cpus).toBe(1);
    const details = await client().details(job.jobId);
    expect(details.allocation).toHaveLength(1);
    expect(details.allocation[0]!.node).toBe(cluster().nodeName);
    expect(details.allocation[0]!.cpuIds).toHaveLength(1);
    // One socket, one thread per core: Slurm's CPU ids are the kernel's here, so the job's own
    // affinity (task/affinity, task/cgroup) must be exactly the allocation.
    const allowed = await untilFileMatches(job.stdoutPath, /Cpus_allowed_list:\s*(\S+)/);
    expect(parseIdList(allowed[1]!)).toEqual(details.allocation[0]!.cpuIds);
    await untilFileMatches(job.stdoutPath, /^ready$/m);
    const pid = Number(readText(join(dir, 'pid')));

    const usageOf = async () => (await client().usage([job.jobId])).get(job.jobId);
    const first = await waitForSlurm(usageOf, 'sstat to report the running step');
    const firstAt = Date.now();
    let later: JobUsage | undefined;
    await waitForSlurm(async () => {
      later = await usageOf();
      return later !== undefined && later.cpuSeconds >= first.cpuSeconds + 2;
    }, () => `AveCPU to rise 2 s above ${first.cpuSeconds} s (is ${later?.cpuSeconds})`);
    const laterAt = Date.now();
    // sstat reports what slurmstepd sampled up to a second ago, in whole seconds: never more than the kernel counted.
    expect(later!.cpuSeconds).toBeLessThanOrEqual(kernelCpuSeconds(pid) + 1);
    expect(later!.rssBytes).toBeGreaterThan(0);
    const rate = new CpuRate();
    expect(rate.update(first, firstAt)).toBeUndefined();
    expect(rate.update(later!, laterAt)).toBeGreaterThan(0);

    await client().cancel(job.jobId);
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.view).toMatchObject({ state: 'killed', slurmState: 'CANCELLED' });
  }, 120_000);

  it('follows the output file while the job writes it, and ends with all of it', async () => {
    const dir = jobDir(cluster(), 'follow');
    // The job blocks until the test has seen its first line, so that line was read live.
    const script = `echo "line 1 ü"; while [ ! -e go ]; do sleep 0.1; done; echo "line 2"; echo "to stderr" >&2`;
    const job = await submitIn(client(), dir, { command: { kind: 'shell', script } });
    let text = '';
    const follower = new OutputFollower(job.stdoutPath, (e) => {
      if (e.kind === 'text') text += e.text;
    }, { intervalMs: 50 }).start();
    try {
      await waitForSlurm(async () => text.includes('line 1 ü'), () => `the follower to read line 1 (has ${JSON.stringify(text)})`);
      expect((await client().job(job.jobId)).view.state).toBe('running');
      writeFileSync(join(dir, 'go'), '');
      await waitForSlurm(async () => text.includes('line 2'), () => `the follower to read line 2 (has ${JSON.stringify(text)})`);
      const ended = await untilState(client(), job.jobId, FINAL);
      expect(ended.view).toMatchObject({ state: 'exited', exitCode: 0 });
    } finally {
      follower.stop();
    }
    expect(text).toBe('line 1 ü\nline 2\n');
    expect(readText(job.stderrPath)).toBe('to stderr\n');
  }, 120_000);

  it('maps exit 3 to exited 3 (raw wait status 768, ExitCode 3:0)', async () => {
    const job = await submitIn(client(), jobDir(cluster(), 'exit3'), { command: { kind: 'shell', script: 'exit 3' } });
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.slurmState).toBe('FAILED');
    expect(ended.waitStatus).toBe(768);
    expect(ended.view).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(ended.endedAt).toBeGreaterThanOrEqual(ended.startedAt!);
    expect((await client().details(job.jobId)).exit).toEqual({ code: 3, signal: 0 });
  }, 60_000);

  it('maps a job killed by a signal to killed with the signal\'s name', async () => {
    const job = await submitIn(client(), jobDir(cluster(), 'sig'), { command: { kind: 'shell', script: 'kill -USR2 $$' } });
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.view).toMatchObject({ state: 'killed', signal: 'SIGUSR2' });
    expect((await client().details(job.jobId)).exit).toEqual({ code: 0, signal: 12 });
  }, 60_000);

  it('ends a --mem hog by its memory limit (OUT_OF_MEMORY, enforced by task/cgroup)', async () => {
    const job = await submitIn(client(), jobDir(cluster(), 'memhog'), {
      memoryBytes: 64 << 20,
      // tail keeps a line that never ends: 400 MiB of zeros without a newline.
      command: { kind: 'shell', script: 'head -c 400M /dev/zero | tail > /dev/null' },
    });
    expect(job.memoryMiB).toBe(64);
    const ended = await untilState(client(), job.jobId, FINAL);
    expect(ended.slurmState).toBe('OUT_OF_MEMORY');
    expect(ended.view.state).toBe('killed');
    expect(ended.view.reason).toMatch(/^memory limit 64 MiB exceeded/);
  }, 60_000);

  it('keeps a job that cannot start yet queued, with Slurm\'s reason: more CPUs than the node has, or held', async () => {
    const dir = jobDir(cluster(), 'pending');
    const tooBig = await submitIn(client(), dir, { cpus: cluster().cpus + 1, command: { kind: 'shell', script: 'true' } });
    const held = await submitIn(client(), dir, { hold: true, command: { kind: 'shell', script: 'true' }, stdoutPath: join(dir, 'held.out') });
    for (const [job, reason] of [[tooBig, 'PartitionConfig'], [held, 'JobHeldUser']] as const) {
      const queued = await waitForSlurm(async () => {
        const j = (await client().jobs([job.jobId])).jobs.get(job.jobId);
        return j?.slurmReason ? j : undefined;
      }, `job ${job.jobId} to be given a reason`);
      expect(queued.slurmState).toBe('PENDING');
      expect(queued.slurmReason).toBe(reason);
      expect(queued.view).toMatchObject({ state: 'queued', reason: `Slurm: pending, waiting for ${reason}` });
      expect(queued.nodes).toBe('');
      await client().cancel(job.jobId);
      expect((await untilState(client(), job.jobId, FINAL)).view).toMatchObject({ state: 'killed', slurmState: 'CANCELLED' });
    }
  }, 60_000);
}
