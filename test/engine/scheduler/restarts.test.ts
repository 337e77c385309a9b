import { afterEach, describe, expect, it } from 'vitest';
import { decideRestart, type RestartMemory } from '../../../electron/engine/scheduler/restartDecision';
import { restartPolicySchema } from '../../../shared/scheduling';
import type { JobSnapshot } from '../../../shared/jobSnapshot';
import { closeEngines, openEngine, waitFor, waitForState } from '../helpers';

afterEach(closeEngines);

describe('restart decisions', () => {
  const policy = restartPolicySchema.parse({ when: 'on-failure', initialDelayMs: 100, factor: 2, maxDelayMs: 350, maxRestarts: 4, windowMs: 60_000, minUptimeMs: 1000 });
  const crash = { succeeded: false, stoppedByOperator: false, uptimeMs: 10, cause: 'exit code 1' };

  it('backs off exponentially up to the cap, then gives up as crash-looping', () => {
    const memory: RestartMemory = { restartTimes: [], consecutiveCrashes: 0 };
    const delays = [0, 1, 2, 3].map((i) => decideRestart(policy, crash, memory, 1000 + i));
    expect(delays.map((d) => (d.kind === 'restart' ? d.delayMs : d.kind))).toEqual([100, 200, 350, 350]);
    const last = decideRestart(policy, crash, memory, 2000);
    expect(last).toMatchObject({ kind: 'crash-looping' });
    expect(last.kind === 'crash-looping' && last.reason).toMatch(/Exit code 1; restarted 4 times within 60 s/);
  });

  it('a long enough run resets the backoff; restarts outside the window are forgotten', () => {
    const memory: RestartMemory = { restartTimes: [], consecutiveCrashes: 0 };
    decideRestart(policy, crash, memory, 0);
    decideRestart(policy, crash, memory, 1);
    const afterUptime = decideRestart(policy, { ...crash, uptimeMs: 5000 }, memory, 2);
    expect(afterUptime).toMatchObject({ kind: 'restart', delayMs: 100 });
    expect(memory.restartTimes).toHaveLength(3);
    decideRestart(policy, crash, memory, 100_000);
    expect(memory.restartTimes).toEqual([100_000]);
  });

  it('follows never / on-failure / always and never restarts an operator stop', () => {
    const m = (): RestartMemory => ({ restartTimes: [], consecutiveCrashes: 0 });
    const ok = { ...crash, succeeded: true, cause: 'exit code 0' };
    expect(decideRestart({ ...policy, when: 'never' }, crash, m(), 0).kind).toBe('none');
    expect(decideRestart(policy, ok, m(), 0).kind).toBe('none');
    expect(decideRestart({ ...policy, when: 'always' }, ok, m(), 0).kind).toBe('restart');
    expect(decideRestart({ ...policy, when: 'always' }, { ...crash, stoppedByOperator: true }, m(), 0).kind).toBe('none');
  });
});

describe('restart policies on real jobs', () => {
  it('a crashing job is restarted with growing delays, then ends crash-looping', async () => {
    const engine = openEngine();
    const starts: number[] = [];
    engine.events.on('jobs.changed', ({ jobs }) => {
      for (const j of jobs as JobSnapshot[]) if (j.startedAt && !starts.includes(j.startedAt)) starts.push(j.startedAt);
    });
    const job = engine.jobs.start({
      command: { kind: 'shell', script: 'exit 3' },
      restart: { when: 'on-failure', initialDelayMs: 100, factor: 2, maxDelayMs: 1000, maxRestarts: 3, windowMs: 60_000, minUptimeMs: 1000 },
    });
    const ended = await waitForState(engine, job.id, 'crash-looping', 10_000);
    // The last run's events may still be in the coalescer: take its start from the snapshot.
    if (!starts.includes(ended.startedAt!)) starts.push(ended.startedAt!);
    expect(ended.runCount).toBe(4);
    expect(ended.restarts).toMatchObject({ automatic: 3, manual: 0, lastReason: 'exit code 3' });
    expect(ended.reason).toMatch(/restarted 3 times/);
    expect(ended.exitCode).toBe(3);
    // Gaps between runs follow 100, 200, 400 ms (each ≥ its delay).
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps).toHaveLength(3);
    expect(gaps[0]!).toBeGreaterThanOrEqual(95);
    expect(gaps[1]!).toBeGreaterThanOrEqual(195);
    expect(gaps[2]!).toBeGreaterThanOrEqual(395);
  });

  it('a manual restart is counted apart from automatic ones', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'exit 0' }, restart: { when: 'on-failure' } });
    await waitForState(engine, job.id, 'exited');
    engine.jobs.restart(job.id);
    const again = await waitForState(engine, job.id, 'exited');
    expect(again.runCount).toBe(2);
    expect(again.restarts).toMatchObject({ automatic: 0, manual: 1, lastReason: 'restarted by operator' });
  });

  it('stopping a job waiting to restart cancels the restart', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'exit 1' }, restart: { when: 'always', initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    // Queued at first too: wait for the backoff after its first run, not for the submission.
    const waiting = await waitFor(() => {
      const now = engine.jobs.get(job.id);
      return now.runCount === 1 && now.state === 'queued' ? now : undefined;
    }, 'the job to wait for its restart');
    expect(waiting.wait).toEqual({ kind: 'backoff', at: waiting.restarts.nextAt });
    expect(waiting.restarts.lastReason).toContain('exit code 1');
    engine.jobs.stop(waiting.id);
    expect(engine.jobs.get(job.id).state).toBe('exited');
  });
});
