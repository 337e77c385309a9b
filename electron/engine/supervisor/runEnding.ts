import type { StillAlive } from '../../../shared/jobSnapshot';
import type { RunLog } from '../logs/runLog';
import { readCommandLine } from '../monitor/processText';
import { setLongTimeout, type LongTimeout } from '../timers';
import { formatDuration } from '../../../shared/format';
import { isExitingProcess, signalGroup, type SignalName } from './processGroup';
import type { RunTracker } from './runTracker';
import type { ProcessEnd, SpawnedProcess } from './spawnProcess';

export interface EndingHooks {
  /** What is still alive changed. */
  changed(): void;
  /** The run is being stopped (by the operator, a timeout, or because its main process ended). */
  stopping(): void;
  /** The main process is gone (or given up on after SIGKILL). */
  mainExited(): void;
  /** The run is over: the main process's end, once nothing tracked is alive. */
  settled(end: ProcessEnd): void;
}

/** How often a stopping run looks again at what is alive (a cgroup's list; a /proc scan for the marker). */
const POLL_MS = { cgroup: 50, marker: 200 } as const;
/**
 * After SIGKILL to everything, how long the run waits for its processes to be gone. A process
 * in uninterruptible sleep dies only when its system call returns; Kill must still end the job
 * within a second, so the run ends without it (its cgroup is removed once it is gone).
 */
export const KILL_SETTLE_MS = 500;
/**
 * Once nothing tracked is alive the pipes close as soon as their last bytes are read; only a
 * process outside the tracking can keep them open longer, and the run does not wait for it:
 * it stops reading after OUTPUT_IDLE_MS without a byte (a busy engine may still be reading
 * what the pipe holds), and after OUTPUT_DRAIN_MAX_MS in any case (OUTPUT_DRAIN_AFTER_KILL_MS
 * after a kill, which must end the job within a second).
 */
export const OUTPUT_IDLE_MS = 250;
export const OUTPUT_DRAIN_MAX_MS = 2000;
export const OUTPUT_DRAIN_AFTER_KILL_MS = 400;
const SHOWN_ALIVE = 10;

/** A command line in a log line: its start names it; a sandbox wrapper's whole argv (hundreds of characters) says nothing more. */
const MAX_COMMAND_IN_NOTE = 80;
const shortCommand = (command: string) => (command.length > MAX_COMMAND_IN_NOTE ? `${command.slice(0, MAX_COMMAND_IN_NOTE - 1)}…` : command);

function describe(alive: StillAlive): string {
  const shown = alive.processes.map((p) => `pid ${p.pid} ${shortCommand(p.command)}`).join(', ');
  const more = alive.count > alive.processes.length ? `, and ${alive.count - alive.processes.length} more` : '';
  return `${alive.count} process${alive.count === 1 ? '' : 'es'} (${shown}${more})`;
}

const howItEnded = (end: ProcessEnd) => (end.kind === 'exit' ? `exited (${end.exitCode})` : end.kind === 'signal' ? `was ended by ${end.signal}` : 'ended');

/** The line for members whose exit was under way when the main process ended, and still is a grace period later. */
function stuckExitingNote(end: ProcessEnd, alive: string, graceMs: number): string {
  return `the main process ${howItEnded(end)}; ${alive} still inside the kernel's exit ${formatDuration(graceMs)} later; stopping them (SIGTERM, then SIGKILL after ${formatDuration(graceMs)})`;
}

/** The line for a main process that ended on its own while others of the job still run. */
function leftRunningNote(end: ProcessEnd, alive: string | undefined, graceMs: number): string {
  const stopping = `SIGTERM, then SIGKILL after ${formatDuration(graceMs)}`;
  return alive
    ? `the main process ${howItEnded(end)} and left ${alive} running; stopping them (${stopping})`
    : `the main process ${howItEnded(end)}; the job's other processes cannot be listed now, so any it left running are being stopped (${stopping})`;
}

/**
 * How a run ends. Not when its pipes close: a process that left the job's process group can
 * hold stdout open for ever. The run ends once its main process has exited and nothing it
 * tracks (its cgroup or marker, and its process group) is alive; whatever the main process
 * left behind is stopped like the job itself, TERM then KILL after the grace period. A kill
 * reaches every tracked process and the run ends within KILL_SETTLE_MS + OUTPUT_DRAIN_AFTER_KILL_MS.
 */
export class RunEnding {
  stillAlive?: StillAlive;
  private mainEnd?: ProcessEnd;
  private escalation?: LongTimeout;
  /** The main process ended while every other member was inside its exit: how long the run waits for them before it stops them. */
  private exitWait?: LongTimeout;
  private poll?: NodeJS.Timeout;
  private killDeadline?: NodeJS.Timeout;
  private terminating = false;
  private done = false;
  private aliveKey = '';
  /** While the pipes are drained after the end: told of each read (outputDrained). */
  private onOutput?: () => void;

  constructor(
    private readonly child: SpawnedProcess,
    private readonly graceMs: number,
    private readonly log: RunLog,
    private readonly tracker: RunTracker | undefined,
    private readonly hooks: EndingHooks,
  ) {
    void child.exited.then((end) => this.mainEnded(end));
  }

  /** Sends signals, in order, to the process group and to every tracked process outside it (listed once for all of them). */
  signal(...signals: SignalName[]): void {
    const leader = this.child.pid;
    // Until it is reaped (mainEnd), the leader's pid is its own, and it is in its own group
    // (a session leader cannot leave it): when every signal reached the group, it has them,
    // and the tracker skips it. A stop of 100 jobs is 100 of these in a row.
    let groupReached = leader !== undefined && this.mainEnd === undefined;
    if (leader !== undefined) for (const signal of signals) groupReached = signalGroup(leader, signal) && groupReached;
    try {
      this.tracker?.signalAll(signals as NodeJS.Signals[], groupReached ? leader : undefined);
    } catch {
      // The list cannot be read now (EMFILE…): the group has it, and the final kill tries again.
    }
  }

  /** SIGTERM (and SIGCONT, for stopped ones) to everything; SIGKILL to all after the grace period. */
  terminate(note?: string): void {
    if (this.terminating || this.done) return;
    this.terminating = true;
    this.hooks.stopping();
    if (note) this.log.note(note);
    // A stopped process keeps SIGTERM pending until it is continued.
    this.signal('SIGTERM', 'SIGCONT');
    this.escalation = setLongTimeout(() => this.escalate(), this.graceMs);
    this.startPolling();
  }

  /** SIGKILL to the group and, race-free where the mechanism allows, to every tracked process. */
  killAll(note: string): void {
    if (this.done) return;
    this.terminating = true;
    this.hooks.stopping();
    this.log.note(note);
    this.escalation?.cancel();
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    void this.tracker
      ?.killAll()
      .catch(() => [])
      .then(() => this.check());
    this.killDeadline ??= setTimeout(() => this.giveUpWaiting(), KILL_SETTLE_MS);
    this.startPolling();
  }

  /** The run's live processes; undefined when they cannot be read now (unknown is not "none"). */
  private alive(): number[] | undefined {
    const pgid = this.child.pid;
    if (!this.tracker) return pgid !== undefined && signalGroup(pgid, 0) ? [pgid] : [];
    try {
      return this.tracker.members();
    } catch {
      return undefined;
    }
  }

  private escalate(): void {
    if (this.done) return;
    const alive = this.alive();
    if (this.mainEnd && alive?.length === 0) return this.check();
    const what = alive && alive.length > 0 ? this.describeAlive(alive) : 'the main process';
    this.killAll(`still running ${formatDuration(this.graceMs)} after SIGTERM: ${what}; sending SIGKILL to every process of the job`);
  }

  private mainEnded(end: ProcessEnd): void {
    if (this.done) return;
    this.mainEnd = end;
    this.hooks.mainExited();
    if (end.kind === 'spawn-error') return void this.settle();
    const alive = this.alive();
    if (alive?.length === 0) return void this.settle();
    if (alive) this.updateStillAlive(alive);
    if (this.terminating) return this.startPolling();
    // Only processes already inside their exit (a sandbox's init waiting for its namespace to be
    // reaped): nothing was left running, and none of them can act or take a signal; the run
    // waits for them, and stops them like anything left running only if they are still there
    // a grace period later (check() stops at once whatever is found that is not exiting).
    if (alive && this.tracker && alive.every(isExitingProcess)) {
      this.exitWait = setLongTimeout(() => this.stopStuckExits(end), this.graceMs);
      return this.startPolling();
    }
    this.stopLeftRunning(end, alive);
  }

  /** Left running by a job whose main process ended on its own: stopped like the job itself, and said only then (a job that left nothing ends without a line). */
  private stopLeftRunning(end: ProcessEnd, alive: number[] | undefined): void {
    this.exitWait?.cancel();
    this.terminate(leftRunningNote(end, alive && this.describeAlive(alive), this.graceMs));
  }

  private stopStuckExits(end: ProcessEnd): void {
    const alive = this.alive();
    if (this.done || this.terminating || alive?.length === 0) return;
    if (!alive || !alive.every(isExitingProcess)) return this.stopLeftRunning(end, alive);
    this.terminate(stuckExitingNote(end, this.describeAlive(alive), this.graceMs));
  }

  private check(): void {
    if (this.done) return;
    const alive = this.alive();
    if (!alive) return;
    this.updateStillAlive(alive);
    if (this.mainEnd && alive.length === 0) return void this.settle();
    if (this.exitWait && !this.terminating && this.mainEnd && !alive.every(isExitingProcess)) this.stopLeftRunning(this.mainEnd, alive);
  }

  private giveUpWaiting(): void {
    if (this.done) return;
    const alive = this.alive();
    if (!this.mainEnd) {
      this.log.note(`the main process (pid ${this.child.pid}) is still there ${KILL_SETTLE_MS} ms after SIGKILL (uninterruptible sleep?): the run ends without its exit status`);
      this.mainEnd = { kind: 'signal', signal: 'SIGKILL' };
      this.hooks.mainExited();
    }
    if (alive === undefined || alive.length > 0) {
      this.log.note(`${alive ? this.describeAlive(alive) : 'processes that cannot be listed now'} still there ${KILL_SETTLE_MS} ms after SIGKILL (uninterruptible sleep?): the run ends; they are killed again and their cgroup removed once they are gone`);
    }
    void this.settle();
  }

  private async settle(): Promise<void> {
    if (this.done) return;
    this.done = true;
    clearInterval(this.poll);
    clearTimeout(this.killDeadline);
    this.escalation?.cancel();
    this.exitWait?.cancel();
    const drained = await this.outputDrained(this.killDeadline !== undefined ? OUTPUT_DRAIN_AFTER_KILL_MS : OUTPUT_DRAIN_MAX_MS);
    if (!drained) {
      this.child.closeOutput();
      this.log.note("stdout/stderr are still held open by a process that is not the job's (or did not die); no longer reading them");
    }
    this.stillAlive = undefined;
    this.hooks.settled(this.mainEnd!);
  }

  /** Output came in (a read of stdout or stderr): while the pipes are being drained, they are not idle. */
  outputArrived(): void {
    this.onOutput?.();
  }

  /** Whether stdout and stderr closed before they stayed silent OUTPUT_IDLE_MS, or maxMs passed. */
  private outputDrained(maxMs: number): Promise<boolean> {
    const { outputClosed } = this.child;
    return new Promise<boolean>((resolve) => {
      let idle: NodeJS.Timeout | undefined;
      const finish = (closed: boolean) => {
        clearTimeout(idle);
        clearTimeout(cap);
        this.onOutput = undefined;
        resolve(closed);
      };
      const arrived = () => {
        clearTimeout(idle);
        idle = setTimeout(() => finish(false), OUTPUT_IDLE_MS);
      };
      const cap = setTimeout(() => finish(false), maxMs);
      this.onOutput = arrived;
      arrived();
      void outputClosed.then(() => finish(true));
    });
  }

  private startPolling(): void {
    if (this.poll || this.done) return;
    const interval = this.tracker?.tracking.mechanism === 'marker' ? POLL_MS.marker : POLL_MS.cgroup;
    this.poll = setInterval(() => this.check(), interval);
  }

  private updateStillAlive(alive: number[]): void {
    const key = alive.join(',');
    if (key === this.aliveKey) return;
    this.aliveKey = key;
    this.stillAlive = alive.length === 0 ? undefined : {
      count: alive.length,
      processes: alive.slice(0, SHOWN_ALIVE).map((pid) => ({ pid, command: readCommandLine(pid, '?') })),
    };
    this.hooks.changed();
  }

  private describeAlive(alive: number[]): string {
    this.updateStillAlive(alive);
    return this.stillAlive ? describe(this.stillAlive) : 'nothing';
  }
}
