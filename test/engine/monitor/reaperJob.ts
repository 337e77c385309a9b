import { waitForCpu, type Bracketed } from './kernelCpu';
import { startShell, waitForChildren, waitForOutput, type Started } from './processes';

/** One busy child's work: a fixed number of shell loop rounds (≈ 80 ms of CPU here), the same on a loaded machine. */
const ROUNDS = 50_000;

// Between commands the shell is blocked in `read`, and while a spinner runs, in `wait`: at those
// moments its tree neither forks nor reaps, so the kernel's counters can bracket a scan exactly.
const SCRIPT = `echo ready
while read what seq; do
  case $what in
    burst) i=0; while [ $i -lt 3 ]; do sh -c 'n=0; while [ $n -lt ${ROUNDS} ]; do n=$((n+1)); done'; i=$((i+1)); done ;;
    spin) sh -c 'while :; do :; done' ;;
  esac
  echo "done $what $seq"
done`;

/**
 * A shell job that, on command, runs short-lived busy children and reaps them: for tests of the
 * CPU a tree's reaped children used (the parent's cutime), with handshakes instead of timing.
 */
export class ReaperJob {
  private seq = 0;

  private constructor(readonly child: Started) {}

  static async start(): Promise<ReaperJob> {
    const child = startShell(SCRIPT, { stdin: 'pipe', stdout: 'pipe' });
    await waitForOutput(child, 'ready\n');
    return new ReaperJob(child);
  }

  get pid(): number {
    return this.child.pid;
  }

  /** Runs three busy children one after the other; resolves once the shell has reaped them all. */
  async burst(): Promise<void> {
    await this.command('burst');
  }

  /** Starts one busy child that runs until endSpin(); resolves with its pid once it runs its loop. */
  async spin(): Promise<{ pid: number; end(): Promise<void> }> {
    const done = this.command('spin');
    const [pid] = await waitForChildren(this.pid, 1, /^sh -c while :; do :; done$/);
    return {
      pid: pid!,
      end: async () => {
        process.kill(pid!, 'SIGKILL');
        await done;
      },
    };
  }

  private command(what: string): Promise<void> {
    const seq = ++this.seq;
    this.child.stdin!.write(`${what} ${seq}\n`);
    return waitForOutput(this.child, `done ${what} ${seq}\n`);
  }
}

/** The four scans of scanReaperPhases, each bracketed by the kernel's counters of the pids it names. */
export interface ReaperScans<T> {
  /** Before anything ran: the shell alone, in `read`. */
  start: Bracketed<T>;
  /** After three busy children were born and reaped, unseen by any scan. */
  afterBurst: Bracketed<T>;
  /** With a busy child running (the shell in `wait`); bracketed with both pids. */
  seen: Bracketed<T>;
  /** After that child, seen by the last scan, was reaped. */
  reaped: Bracketed<T>;
  spinner: number;
}

/**
 * Scans a reaper job's tree at the moments that tell reaped-CPU accounting apart: CPU of
 * children no scan saw (only the shell's cutime has it), and of a child a scan saw before it
 * was reaped (its time up to that scan must not count twice). The tree neither forks nor reaps
 * during any of these scans, so the brackets are exact. The spinner runs until the kernel has
 * given it CPU before and after the scan that sees it, so both halves of its time are non-zero.
 * `scan` calls the code under test inside bracket()/bracketAsync() of the pids it is given.
 */
export async function scanReaperPhases<T>(job: ReaperJob, scan: (pids: number[]) => Bracketed<T> | Promise<Bracketed<T>>): Promise<ReaperScans<T>> {
  const start = await scan([job.pid]);
  await job.burst();
  const afterBurst = await scan([job.pid]);
  const spinner = await job.spin();
  await waitForCpu([spinner.pid], afterBurst.after, 10, 'the spinner');
  const seen = await scan([job.pid, spinner.pid]);
  await waitForCpu([spinner.pid], seen.after, 10, 'the spinner after the scan');
  await spinner.end();
  const reaped = await scan([job.pid]);
  return { start, afterBurst, seen, reaped, spinner: spinner.pid };
}
