import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { REPEAT_IS_SAME_MS, shutdownOnSignals } from '../../electron/web/shutdownSignals';

function harness() {
  let clock = 0;
  const calls: string[] = [];
  let finishStop!: () => void;
  const target = new EventEmitter() as unknown as NodeJS.Process;
  const guard = shutdownOnSignals(
    {
      stop: () => {
        calls.push('stop');
        return new Promise<void>((resolve) => (finishStop = resolve));
      },
      killAll: () => {
        calls.push('killAll');
        return Promise.resolve(2);
      },
      exit: (code) => calls.push(`exit ${code}`),
      say: (line) => calls.push(line),
      now: () => clock,
    },
    target,
  );
  return { calls, target, guard, advance: (ms: number) => (clock += ms), finishStop: () => finishStop() };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('what the signals that end browser mode do', () => {
  it('one signal stops the jobs, says so, and exits 0 once they have stopped; a repeat at once (npm passing Ctrl+C on) changes nothing', async () => {
    const { calls, target, advance, finishStop } = harness();
    target.emit('SIGINT');
    advance(REPEAT_IS_SAME_MS - 1);
    target.emit('SIGINT');
    await flush();
    expect(calls.filter((c) => !c.startsWith('Procdeck'))).toEqual(['stop']);
    expect(calls[0]).toMatch(/^Procdeck: SIGINT received: stopping every job/);
    finishStop();
    await flush();
    expect(calls.slice(-2)).toEqual(['Procdeck: every job has stopped; exiting.', 'exit 0']);
  });

  it('a second signal later kills the jobs at once and still waits for them; only a third exits without waiting', async () => {
    const { calls, target, advance } = harness();
    target.emit('SIGHUP');
    advance(REPEAT_IS_SAME_MS);
    target.emit('SIGINT');
    await flush();
    expect(calls).toContain('killAll');
    expect(calls).toContain('Procdeck: SIGINT again: killing the 2 jobs still running (SIGKILL to every process); exiting once they are gone…');
    expect(calls.some((c) => c.startsWith('exit'))).toBe(false);
    advance(REPEAT_IS_SAME_MS);
    target.emit('SIGTERM');
    expect(calls.at(-1)).toBe('exit 130');
  });

  it('listens to SIGINT, SIGTERM and SIGHUP, and lets go of them', () => {
    const { target, guard } = harness();
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(target.listenerCount(signal)).toBe(1);
    guard.dispose();
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(target.listenerCount(signal)).toBe(0);
  });
});
