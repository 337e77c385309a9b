import { isDeepStrictEqual } from 'node:util';
import type { Writable } from 'node:stream';
import type { JobSpec } from '../../../shared/jobSpec';
import type { RunTracking, StillAlive } from '../../../shared/jobSnapshot';
import type { JobState } from '../../../shared/jobState';
import { EngineError } from '../engineError';
import type { IsolationReport } from '../../../shared/isolation';
import { readAffinity, readNice } from '../affinity/processControls';
import type { EndRequest, RunEndedBy } from '../../../shared/runEnd';
import { isDeliberateStop, type EndCause, type RunHandle } from '../backends/backend';
import type { IsolatedLaunch } from '../isolation/wrapLaunch';
import { LastLine } from '../logs/lastLine';
import type { RunLog } from '../logs/runLog';
import type { TrackedProcesses } from '../monitor/sampler';
import { setLongTimeout, type LongTimeout } from '../timers';
import type { LaunchPlan } from './launchPlan';
import type { SignalName } from './processGroup';
import { formatDuration } from '../../../shared/format';
import { pinRun, reniceRun } from './liveChanges';
import type { PipeSource } from './fifoPipes';
import { readOutput } from './outputReader';
import { RunEnding } from './runEnding';
import { spawnProcess, type ProcessEnd, type SpawnedProcess } from './spawnProcess';

export interface RunHooks {
  onChange(): void;
  /** The group leader is known (record it for crash recovery). */
  onSpawned(pid: number): void;
  /** The run reached a final state: its main process and every tracked process are gone (or SIGKILLed). */
  onEnded(): void;
}

/**
 * Most stdin bytes a job may have waiting in the engine (beyond what the kernel's pipe holds):
 * a job that does not read must not make the engine hold whatever a client keeps sending.
 */
export const STDIN_BUFFER_MAX_BYTES = 1024 * 1024;

/**
 * One execution of a job on this machine: its process group and every process it tracks,
 * from spawn to its final state. The local backend's run handle.
 */
export class JobRun implements RunHandle {
  state: JobState = 'starting';
  pid?: number;
  exitCode?: number;
  signal?: string;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  /** When the timeout in force stops the run (epoch ms), while it is armed. */
  timeoutAt?: number;
  private stdin: Writable | null = null;
  private readonly lastStderr = new LastLine();
  /** Who ended the run, when the engine did (an operator's stop, a timeout). */
  endCause?: EndCause;
  /** A limit of the run's isolation ended it. */
  private endedByLimit = false;
  private timeoutTimer?: LongTimeout;
  private stateBeforePause: JobState = 'running';
  /** Limits and tracking applied to this run (cgroup, sandbox, marker), consulted when it ends. */
  private isolated?: IsolatedLaunch;
  /** The limits in force for this run and what backs each one (none for a run without isolation). */
  isolation?: IsolationReport;
  /** Cores its processes may run on and its nice value, read back from /proc after launch and after each live change. */
  cores?: number[];
  niceInForce?: number;
  /** Why the engine stopped the run (an alert, its shutdown), shown instead of "stopped by operator". */
  private stopReason?: string;
  /** Stop or Kill, once a run ended on request has ended (see the snapshot's endRequest). */
  endRequest?: EndRequest;
  private requestedEnd?: EndRequest;
  private ending?: RunEnding;
  /** Settles once what tracked the run (its cgroup) is removed, after its end. */
  private released?: Promise<void>;
  private resolveEnded!: () => void;
  /** Settles once the run has reached its final state. */
  readonly ended = new Promise<void>((resolve) => (this.resolveEnded = resolve));

  /** Once the run has ended: its last line on stderr (a live run's would be stale in the snapshot at once). */
  get lastStderrLine(): string | undefined {
    return this.endedAt !== undefined ? this.lastStderr.value : undefined;
  }

  constructor(
    readonly runId: string,
    readonly spec: JobSpec,
    readonly log: RunLog,
    private readonly hooks: RunHooks,
  ) {}

  get pgid(): number | undefined {
    return this.pid;
  }

  get stdinOpen(): boolean {
    return this.stdin !== null && !this.stdin.writableEnded && !this.stdin.destroyed;
  }

  get tracking(): RunTracking | undefined {
    return this.isolated?.tracker.tracking;
  }

  /** While stopping: the run's processes still alive. */
  get stillAlive(): StillAlive | undefined {
    return this.state === 'stopping' ? this.ending?.stillAlive : undefined;
  }

  /** What the monitor reads to count the run's processes wherever they went (its cgroup or marker). */
  get sampling(): TrackedProcesses | undefined {
    return this.isolated?.tracker.sampling;
  }

  /** `pipes`: where stdout and stderr get real pipes (the local backend's FIFO pool); without, libuv's socketpairs. */
  start(plan: LaunchPlan, isolation?: IsolatedLaunch, pipes?: PipeSource): void {
    this.isolated = isolation;
    const child = spawnProcess(plan, this.spec.stdin, pipes);
    this.startedAt = Date.now();
    this.ending = new RunEnding(child, this.spec.graceMs, this.log, isolation?.tracker, {
      changed: () => this.hooks.onChange(),
      stopping: () => {
        if (this.state !== 'stopping') {
          this.state = 'stopping';
          this.hooks.onChange();
        }
      },
      mainExited: () => this.mainExited(child),
      settled: (end) => this.finish(end),
    });
    if (child.pid === undefined) return;
    this.pid = child.pid;
    this.state = 'running';
    this.stdin = child.stdin;
    const reclaim = (buffer: Buffer) => this.log.reclaim(buffer);
    if (child.stdout) {
      readOutput(child.stdout, {
        read: (data, lent) => {
          this.log.append('stdout', data, lent);
          this.ending?.outputArrived();
        },
        reusing: reclaim,
      });
    }
    if (child.stderr) {
      readOutput(child.stderr, {
        read: (data, lent) => {
          this.log.append('stderr', data, lent);
          this.lastStderr.push(data);
          this.ending?.outputArrived();
        },
        reusing: reclaim,
      });
    }
    isolation?.tracker.setLeader(child.pid);
    this.hooks.onSpawned(child.pid);
    if (this.spec.timeoutMs !== undefined) {
      this.timeoutAt = this.startedAt + this.spec.timeoutMs;
      // Through setLongTimeout: a timeout beyond 2^31-1 ms (~24.8 days) would fire at once.
      this.timeoutTimer = setLongTimeout(() => this.timeOut(), this.spec.timeoutMs);
    }
    this.hooks.onChange();
  }

  /** SIGTERM to every process of the run, SIGKILL to all after the grace period. */
  stop(cause: EndCause = 'operator', reason?: string): void {
    this.requireActive('stop');
    if (this.state === 'stopping') return;
    this.endCause ??= cause;
    this.stopReason ??= reason;
    if (isDeliberateStop(cause)) this.requestedEnd ??= 'stop';
    this.ending!.terminate();
  }

  /** SIGKILL to every process of the run at once; the run ends within a second, stopping or not. */
  kill(): void {
    this.requireActive('kill');
    this.endCause ??= 'operator';
    this.requestedEnd = 'kill';
    this.ending!.killAll('killed by operator: SIGKILL to every process of the job');
  }

  sendSignal(name: SignalName): void {
    this.requireActive(`send ${name} to`);
    if (name === 'SIGSTOP' || name === 'SIGTSTP') return this.pause(name);
    if (name === 'SIGCONT') return this.resume();
    this.sendToAll(name);
  }

  pause(signal: SignalName = 'SIGSTOP'): void {
    this.requireActive('pause');
    if (this.state !== 'running') throw new EngineError('BAD_STATE', `cannot pause a job that is ${this.state}`);
    this.sendToAll(signal);
    this.stateBeforePause = this.state;
    this.state = 'paused';
    this.hooks.onChange();
  }

  resume(): void {
    this.requireActive('resume');
    this.sendToAll('SIGCONT');
    if (this.state === 'paused') {
      this.state = this.stateBeforePause;
      this.hooks.onChange();
    }
  }

  writeStdin(data: string): void {
    if (!this.stdinOpen) throw new EngineError('BAD_STATE', this.isActive() ? "the job's stdin is closed" : 'the job has ended');
    const waiting = this.stdin!.writableLength;
    if (waiting + Buffer.byteLength(data) > STDIN_BUFFER_MAX_BYTES) {
      throw new EngineError('BAD_STATE', `stdin buffer full: the job is not reading (${waiting} bytes still waiting, at most ${STDIN_BUFFER_MAX_BYTES} are kept)`, 'data');
    }
    this.stdin!.write(data);
  }

  closeStdin(): void {
    if (!this.stdinOpen) throw new EngineError('BAD_STATE', "the job's stdin is already closed");
    this.stdin!.end();
    this.hooks.onChange();
  }

  /** Pins every process of the run (its tree and whatever its tracking holds outside it) to the cores, then reads the result back. */
  async setAffinity(cores: readonly number[]): Promise<void> {
    await pinRun(this.pid!, this.trackedMembers(), cores);
    this.readBack();
  }

  async renice(nice: number): Promise<void> {
    reniceRun(this.pid!, this.trackedMembers(), nice);
    this.readBack();
  }

  /** What the run's tracking holds now; none when it cannot be read now (the tree is still reached). */
  private trackedMembers(): number[] {
    try {
      return this.isolated?.tracker.members() ?? [];
    } catch {
      return [];
    }
  }

  /**
   * Reads the cores and nice value in force from /proc (the wrappers, taskset and nice, have
   * exec'd into the command by now). `announce: false` while the spawn is still being
   * recorded: start() announces the run once, with these figures in it. `stat`: the nice the
   * caller has just read from the same /proc/PID/stat (at the spawn), not read again.
   */
  readBack(announce = true, stat?: { nice?: number }): void {
    if (!this.isActive() || this.pid === undefined) return;
    const cores = readAffinity(this.pid) ?? this.cores;
    const nice = stat ? stat.nice : readNice(this.pid);
    // Read up to three times after a launch: a change only when something did (each one is journaled and pushed).
    if (nice === this.niceInForce && isDeepStrictEqual(cores, this.cores)) return;
    this.cores = cores;
    this.niceInForce = nice;
    if (announce) this.hooks.onChange();
  }

  /** Settles once the run has ended and what tracked it (its cgroup) is removed. */
  async whenReleased(): Promise<void> {
    await this.ended;
    await this.released?.catch(() => undefined);
  }

  isActive(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'paused' || this.state === 'stopping';
  }

  /** Who or what ended it, once ended (undefined: it ended on its own). */
  get endedBy(): RunEndedBy | undefined {
    if (this.isActive()) return undefined;
    return this.endedByLimit ? 'limit' : this.endCause;
  }

  /** Stop (engine shutdown), and resolve once the run has ended and its cgroup is removed. */
  async stopAndWait(cause: EndCause): Promise<void> {
    if (this.isActive() && this.state !== 'stopping') this.stop(cause);
    await this.whenReleased();
  }

  private timeOut(): void {
    if (!this.isActive()) return;
    this.endCause = 'timeout';
    this.timeoutAt = undefined;
    this.log.note(`timed out after ${formatDuration(this.spec.timeoutMs!)}; stopping`);
    if (this.state === 'stopping') return;
    this.stop('timeout');
  }

  private sendToAll(signal: SignalName): void {
    if (this.pgid === undefined) throw new EngineError('BAD_STATE', 'the job has no process yet');
    this.ending!.signal(signal);
  }

  private requireActive(action: string): void {
    if (!this.isActive()) throw new EngineError('BAD_STATE', `cannot ${action} a job that has ${this.state === 'failed-to-start' ? 'failed to start' : 'ended'}`);
  }

  /** The main process is gone: nothing can read its stdin any more, and no timeout applies. */
  private mainExited(child: SpawnedProcess): void {
    this.timeoutTimer?.cancel();
    this.timeoutAt = undefined;
    child.stdin?.destroy();
    this.stdin = null;
  }

  private finish(rawEnd: ProcessEnd): void {
    this.endedAt = Date.now();
    // A sandboxed job killed by signal n is reported by bwrap as exit 128+n.
    const end = this.isolated?.normalizeEnd(rawEnd) ?? rawEnd;
    if (end.kind === 'spawn-error') {
      this.state = 'failed-to-start';
      this.reason = end.errno && !end.message.includes(end.errno) ? `${end.message} (${end.errno})` : end.message;
    } else if (this.endCause === 'timeout') {
      this.state = 'timed-out';
      this.reason = `timed out after ${formatDuration(this.spec.timeoutMs!)}`;
      if (end.kind === 'exit') this.exitCode = end.exitCode;
      else this.signal = end.signal;
    } else {
      if (end.kind === 'signal') {
        this.state = 'killed';
        this.signal = end.signal;
      } else {
        this.state = 'exited';
        this.exitCode = end.exitCode;
      }
      // Stopped on request, however the job took it (SIGTERM, its own exit code, SIGKILL after the grace period).
      if (this.requestedEnd !== undefined) {
        this.endRequest = this.requestedEnd;
        this.reason = this.stopReason ?? defaultEndReason(this.requestedEnd, this.endCause);
      } else if (this.endCause === 'health') {
        // Ended by its liveness probe: the probe's words are the reason its restart gives.
        this.reason = this.stopReason;
      }
    }
    const limit = this.isolated?.explainEnd(end, { endCause: this.endCause, elapsedMs: this.endedAt - (this.startedAt ?? this.endedAt) });
    if (limit !== undefined) {
      this.endedByLimit = true;
      this.reason = limit;
      this.endRequest = undefined;
      this.log.note(`ended by a limit: ${limit}`);
    }
    this.stdin = null;
    this.hooks.onChange();
    this.hooks.onEnded();
    this.resolveEnded();
    // Removes the run's cgroup once its last process is gone (one in uninterruptible sleep
    // when the run ended is SIGKILLed again after the grace period).
    this.released = this.isolated?.cleanup(this.spec.graceMs + 2000);
  }
}


/** The reason a run ended on request says when its requester gave none. */
function defaultEndReason(request: EndRequest, cause: EndCause | undefined): string {
  if (request === 'kill') return 'killed by operator';
  return cause === 'engine-shutdown' ? 'stopped when Procdeck shut down' : 'stopped by operator';
}
