import type { Writable } from 'node:stream';
import type { JobSpec } from '../../../shared/jobSpec';
import type { JobState } from '../../../shared/jobState';
import { EngineError } from '../engineError';
import type { IsolatedLaunch } from '../isolation/wrapLaunch';
import type { RunLog } from '../logs/runLog';
import type { LaunchPlan } from './launchPlan';
import { groupHasMembers, signalGroup, type SignalName } from './processGroup';
import { spawnProcess, type ProcessEnd } from './spawnProcess';

export interface RunHooks {
  onChange(): void;
  /** The group leader is known (record it for crash recovery). */
  onSpawned(pid: number): void;
  /** The run reached a final state and its group is empty or being killed. */
  onEnded(): void;
}

export type EndCause = 'operator-stop' | 'timeout' | undefined;

/** One execution of a job: a process group from spawn to its final state. */
export class JobRun {
  state: JobState = 'starting';
  pid?: number;
  exitCode?: number;
  signal?: string;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  private stdin: Writable | null = null;
  /** Who ended the run, when the engine did (an operator's stop, a timeout). */
  endCause: EndCause;
  /** Set by whoever stops a run in order to restart it (an alert rule), recorded as the restart's reason. */
  restartCause?: string;
  private timeoutTimer?: NodeJS.Timeout;
  private escalationTimer?: NodeJS.Timeout;
  private stateBeforePause: JobState = 'running';
  /** Limits applied to this run (cgroup, sandbox), consulted when it ends. */
  private isolation?: IsolatedLaunch;
  /** Why the engine stopped the run (an alert), shown instead of "stopped by operator". */
  private stopReason?: string;

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

  start(plan: LaunchPlan, isolation?: IsolatedLaunch): void {
    this.isolation = isolation;
    const child = spawnProcess(plan, this.spec.stdin);
    this.startedAt = Date.now();
    child.done.then((end) => this.finish(end)).catch((error: unknown) => this.finish({ kind: 'spawn-error', message: String(error) }));
    if (child.pid === undefined) return;
    this.pid = child.pid;
    this.state = 'running';
    this.stdin = child.stdin;
    // A job that exits without reading its stdin makes our next write fail with EPIPE.
    this.stdin?.on('error', () => undefined);
    child.stdout.on('data', (data: Buffer) => this.log.append('stdout', data));
    child.stderr.on('data', (data: Buffer) => this.log.append('stderr', data));
    this.hooks.onSpawned(child.pid);
    if (this.spec.timeoutMs !== undefined) {
      this.timeoutTimer = setTimeout(() => this.timeOut(), this.spec.timeoutMs);
    }
    this.hooks.onChange();
  }

  /** SIGTERM to the group, SIGKILL after the grace period to whatever is left. */
  stop(cause: EndCause = 'operator-stop', reason?: string): void {
    this.requireActive('stop');
    if (this.state === 'stopping') return;
    this.endCause ??= cause;
    this.stopReason ??= reason;
    this.state = 'stopping';
    this.sendToGroup('SIGTERM');
    // A stopped process keeps SIGTERM pending until it is continued.
    this.sendToGroup('SIGCONT');
    this.armEscalation();
    this.hooks.onChange();
  }

  kill(): void {
    this.requireActive('kill');
    this.endCause ??= 'operator-stop';
    this.sendToGroup('SIGKILL');
  }

  sendSignal(name: SignalName): void {
    this.requireActive(`send ${name} to`);
    if (name === 'SIGSTOP' || name === 'SIGTSTP') return this.pause(name);
    if (name === 'SIGCONT') return this.resume();
    this.sendToGroup(name);
  }

  pause(signal: SignalName = 'SIGSTOP'): void {
    this.requireActive('pause');
    if (this.state !== 'running') throw new EngineError('BAD_STATE', `cannot pause a job that is ${this.state}`);
    this.sendToGroup(signal);
    this.stateBeforePause = this.state;
    this.state = 'paused';
    this.hooks.onChange();
  }

  resume(): void {
    this.requireActive('resume');
    this.sendToGroup('SIGCONT');
    if (this.state === 'paused') {
      this.state = this.stateBeforePause;
      this.hooks.onChange();
    }
  }

  writeStdin(data: string): void {
    if (!this.stdinOpen) throw new EngineError('BAD_STATE', this.isActive() ? "the job's stdin is closed" : 'the job has ended');
    this.stdin!.write(data);
  }

  closeStdin(): void {
    if (!this.stdinOpen) throw new EngineError('BAD_STATE', "the job's stdin is already closed");
    this.stdin!.end();
    this.hooks.onChange();
  }

  isActive(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'paused' || this.state === 'stopping';
  }

  /** Called on engine shutdown: stop and resolve once the run has ended. */
  async stopAndWait(): Promise<void> {
    if (!this.isActive()) return;
    if (this.state !== 'stopping') this.stop();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (!this.isActive()) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
  }

  private timeOut(): void {
    if (!this.isActive()) return;
    this.endCause = 'timeout';
    this.log.note(`timed out after ${formatMs(this.spec.timeoutMs!)}; stopping`);
    if (this.state === 'stopping') return;
    this.stop('timeout');
  }

  private armEscalation(): void {
    clearTimeout(this.escalationTimer);
    const pgid = this.pgid;
    if (pgid === undefined) return;
    this.escalationTimer = setTimeout(() => {
      if (groupHasMembers(pgid)) {
        this.log.note(`still running ${formatMs(this.spec.graceMs)} after SIGTERM; sending SIGKILL to the group`);
        signalGroup(pgid, 'SIGKILL');
      }
    }, this.spec.graceMs);
  }

  private sendToGroup(signal: SignalName): void {
    if (this.pgid === undefined) throw new EngineError('BAD_STATE', 'the job has no process yet');
    signalGroup(this.pgid, signal);
  }

  private requireActive(action: string): void {
    if (!this.isActive()) throw new EngineError('BAD_STATE', `cannot ${action} a job that has ${this.state === 'failed-to-start' ? 'failed to start' : 'ended'}`);
  }

  private finish(rawEnd: ProcessEnd): void {
    clearTimeout(this.timeoutTimer);
    this.endedAt = Date.now();
    // A sandboxed job killed by signal n is reported by bwrap as exit 128+n.
    const end = this.isolation?.normalizeEnd(rawEnd) ?? rawEnd;
    if (end.kind === 'spawn-error') {
      this.state = 'failed-to-start';
      this.reason = end.errno ? `${end.message} (${end.errno})` : end.message;
    } else if (this.endCause === 'timeout') {
      this.state = 'timed-out';
      this.reason = `timed out after ${formatMs(this.spec.timeoutMs!)}`;
      if (end.kind === 'exit') this.exitCode = end.exitCode;
      else this.signal = end.signal;
    } else if (end.kind === 'signal') {
      this.state = 'killed';
      this.signal = end.signal;
      if (this.endCause === 'operator-stop') this.reason = this.stopReason ?? 'stopped by operator';
    } else {
      this.state = 'exited';
      this.exitCode = end.exitCode;
    }
    const limit = this.isolation?.explainEnd(end, { endCause: this.endCause, elapsedMs: this.endedAt - (this.startedAt ?? this.endedAt) });
    if (limit !== undefined) {
      this.reason = limit;
      this.log.note(`ended by a limit: ${limit}`);
    }
    // What the leader left behind in its group (a backgrounded child that closed its stdio)
    // must not outlive the job: stop it the same way, TERM then KILL after the grace period.
    if (this.pgid !== undefined && groupHasMembers(this.pgid)) {
      this.log.note('the main process ended; stopping what it left running in its process group');
      signalGroup(this.pgid, 'SIGTERM');
      signalGroup(this.pgid, 'SIGCONT');
      this.armEscalation();
    } else {
      clearTimeout(this.escalationTimer);
    }
    this.stdin = null;
    this.hooks.onChange();
    this.hooks.onEnded();
    // Removes the run's cgroup once its last process is gone (SIGKILLing, after the grace
    // period, any that escaped the process group).
    void this.isolation?.cleanup(this.spec.graceMs + 2000);
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 120 ? `${Number(s.toFixed(1))} s` : `${Number((s / 60).toFixed(1))} min`;
}
