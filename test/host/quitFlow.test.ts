import { describe, expect, it } from 'vitest';
import { QuitFlow, type QuitFlowSteps } from '../../electron/main/quitFlow';
import { waitFor } from '../support/wait';

function setUp(activeJobs: number, answer: boolean | Promise<boolean>) {
  const calls: string[] = [];
  const steps: QuitFlowSteps = {
    activeJobCount: () => activeJobs,
    confirmStop: async (count) => {
      calls.push(`ask ${count}`);
      return answer;
    },
    shutdown: async () => {
      calls.push('shutdown');
    },
    quit: () => calls.push('quit'),
  };
  const flow = new QuitFlow(steps);
  const event = () => {
    const e = { prevented: false, preventDefault: () => (e.prevented = true) };
    return e;
  };
  // The flow runs on promises: wait until it has reached the phase it must end in.
  const settle = (phase: QuitFlow['state'] = 'done') => waitFor(() => flow.state === phase, `the quit flow to be ${phase}`);
  return { flow, calls, event, settle };
}

describe('quitting', () => {
  it('with jobs running asks first, then stops them all, then quits', async () => {
    const { flow, calls, event, settle } = setUp(2, true);
    const first = event();
    flow.intercept(first);
    expect(first.prevented).toBe(true);
    await settle();
    expect(calls).toEqual(['ask 2', 'shutdown', 'quit']);
    // The quit that follows goes through.
    const second = event();
    flow.intercept(second);
    expect(second.prevented).toBe(false);
  });

  it('stays open when the operator cancels', async () => {
    const { flow, calls, event, settle } = setUp(1, false);
    flow.intercept(event());
    expect(flow.state).toBe('asking');
    await settle('open');
    expect(calls).toEqual(['ask 1']);
    const again = event();
    flow.intercept(again);
    expect(again.prevented).toBe(true);
  });

  it('without jobs still shuts the engine down (saves state) but asks nothing', async () => {
    const { flow, calls, event, settle } = setUp(0, true);
    flow.intercept(event());
    await settle();
    expect(calls).toEqual(['shutdown', 'quit']);
  });

  it('asks once however many close/quit events arrive meanwhile', async () => {
    let answer!: (value: boolean) => void;
    const { flow, calls, event, settle } = setUp(1, new Promise<boolean>((r) => (answer = r)));
    flow.intercept(event());
    flow.intercept(event());
    flow.intercept(event());
    answer(true);
    await settle();
    expect(calls).toEqual(['ask 1', 'shutdown', 'quit']);
  });

  it('on a signal stops without asking, even while the dialog is open', async () => {
    const { flow, calls, event } = setUp(3, new Promise<boolean>(() => {}));
    flow.intercept(event());
    await flow.stopWithoutAsking();
    expect(calls).toEqual(['ask 3', 'shutdown', 'quit']);
  });
});
