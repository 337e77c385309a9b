// Issue 10 §2: a process that left the job's tree (here `timeout`, which makes its own process
// group, double-forked so that it is not a descendant either) counts in the job's CPU and
// memory, measured against the kernel's own counters for that process.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { capabilities, findBinary } from '../../electron/engine/isolation/capabilities';
import { parseProcStat } from '../../electron/engine/monitor/procStat';
import { clockTicksPerSecond, memoryPageSize } from '../../electron/engine/monitor/systemConstants';
import type { JobSample } from '../../shared/jobSnapshot';
import { cpuTicks, groupAndSession, isThreadedZombie, killAllWith, processesWith, uniqueToken } from './escapees';
import { closeEngines, groupMembers, openEngine, waitFor, waitForState } from './helpers';

const tokens: string[] = [];
afterEach(async () => {
  await closeEngines();
  for (const token of tokens.splice(0)) killAllWith(token);
});

const noCgroups = { ...capabilities(), cgroup: undefined, cgroupProblem: 'test: no cgroups', tracking: undefined, trackingProblem: 'test: no cgroups' };

function rssBytes(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * memoryPageSize();
}

/** The busy loop itself: the `sh -c` that timeout started (not timeout, not the job's shell). */
function busyLoopOf(token: string): number | undefined {
  return processesWith(token).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').startsWith('sh\0-c\0while');
    } catch {
      return false; // exited while we looked (the subshell)
    }
  });
}

interface Interval {
  engineCpuSeconds: number;
  kernelCpuSeconds: number;
}

/** Each samples.tick of the job: the CPU the engine counted, and what the kernel counted for the busy loop over the same ticks. */
async function measure(engine: Engine, jobId: string, busy: number, intervals: number): Promise<{ intervals: Interval[]; last: JobSample }> {
  const hz = clockTicksPerSecond();
  const measured: Interval[] = [];
  let previous: { at: number; ticks: number } | undefined;
  let last: JobSample | undefined;
  await new Promise<void>((resolve) => {
    const onTick = ({ samples, gone }: { samples: JobSample[]; gone?: string[] }) => {
      // A change against the tick before: a job not in it has the figures it had.
      const sample = samples.find((s) => s.jobId === jobId) ?? (gone?.includes(jobId) ? undefined : last);
      const ticks = cpuTicks(busy);
      if (!sample || ticks === undefined) return;
      const now = { at: performance.now(), ticks };
      if (previous) {
        const seconds = (now.at - previous.at) / 1000;
        measured.push({ engineCpuSeconds: (sample.cpu / 100) * seconds, kernelCpuSeconds: (now.ticks - previous.ticks) / hz });
      }
      previous = now;
      last = sample;
      if (measured.length >= intervals) {
        engine.events.off('samples.tick', onTick);
        resolve();
      }
    };
    engine.events.on('samples.tick', onTick);
  });
  return { intervals: measured, last: last! };
}

describe.each([
  ['its cgroup', undefined],
  ['its environment marker (no cgroups)', noCgroups],
] as const)('an escaped busy loop counts in the job, found by %s', (_how, caps) => {
  it('in CPU and memory', async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 200 }, ...(caps && { capabilities: caps }) });
    const token = uniqueToken();
    tokens.push(token);
    // The subshell exits at once: timeout is reparented away from the job's shell, in a process group of its own.
    const job = engine.jobs.start({ command: { kind: 'shell', script: `(timeout 120 sh -c 'while :; do :; done # ${token}' &); read line` } });
    const running = await waitForState(engine, job.id, 'running');
    const busy = await waitFor(() => busyLoopOf(token), 'the busy loop to start');
    expect(groupAndSession(busy)?.pgid).not.toBe(running.pgid);
    // Once the monitor has had a tick to find it, over five more ticks:
    await measure(engine, job.id, busy, 1);
    const { intervals, last } = await measure(engine, job.id, busy, 5);
    const engineTotal = intervals.reduce((sum, i) => sum + i.engineCpuSeconds, 0);
    const kernelTotal = intervals.reduce((sum, i) => sum + i.kernelCpuSeconds, 0);
    // The loop ran (the kernel says so), and the job's figure holds it: before, it was 0.
    expect(kernelTotal).toBeGreaterThan(0);
    expect(engineTotal).toBeGreaterThanOrEqual(0.5 * kernelTotal);
    expect(last.processes).toBeGreaterThanOrEqual(3); // the job's shell, timeout, the loop
    expect(last.rss).toBeGreaterThanOrEqual(rssBytes(busy));
    engine.jobs.kill(job.id);
    await waitForState(engine, job.id, 'killed');
    expect(processesWith(token)).toEqual([]);
  });
});

describe('a process whose first thread has ended while another runs', () => {
  it('counts its memory in the job: its stat reads none, its live thread holds it all', async () => {
    expect(findBinary('python3'), 'this test needs python3 (its ctypes calls pthread_exit)').toBeDefined();
    const engine = openEngine({ settings: { sampleIntervalMs: 200 } });
    const token = uniqueToken();
    tokens.push(token);
    const held = 64 * 1024 * 1024;
    // 64 MiB written (resident), then the first thread ends while a second sleeps on.
    const code = `import threading, time, ctypes; data = b"x" * ${held}; threading.Thread(target=lambda: time.sleep(100000)).start(); ctypes.CDLL(None).pthread_exit(None)`;
    const job = engine.jobs.start({ command: { kind: 'shell', script: `python3 -c '${code}' ${token} & read line` } });
    let latest: JobSample | undefined;
    const onTick = ({ samples }: { samples: JobSample[] }) => (latest = samples.find((s) => s.jobId === job.id) ?? latest);
    engine.events.on('samples.tick', onTick);
    try {
      const running = await waitForState(engine, job.id, 'running');
      const python = await waitFor(() => groupMembers(running.pgid!).find(isThreadedZombie), 'the python process to end its first thread');
      expect(parseProcStat(readFileSync(`/proc/${python}/stat`, 'latin1'), 1)?.rss).toBe(0); // its own stat reads none
      const sample = await waitFor(() => (latest && latest.rss >= held ? latest : undefined), () => `the job's memory to hold the 64 MiB (is ${latest?.rss ?? 'unsampled'})`);
      expect(sample.processes).toBeGreaterThanOrEqual(2); // the job's shell and python
    } finally {
      engine.events.off('samples.tick', onTick);
    }
    engine.jobs.kill(job.id);
    await waitForState(engine, job.id, 'killed');
    expect(processesWith(token)).toEqual([]);
  });
});
