import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One daemon run in the foreground as our child (munged -F, slurmctld -D, slurmd -D,
 * slurmrestd). Daemonizing would hand it to PID 1, which here is not an init that reaps
 * promptly, and we would learn of its death only through pid files; as a child, its exit is an
 * event and nothing is left as a zombie.
 */
export class Daemon {
  private readonly child: ChildProcess;
  /** Settles when the process has exited and been reaped. */
  readonly exited: Promise<DaemonExit>;
  private exitInfo: DaemonExit | undefined;

  constructor(
    readonly name: string,
    file: string,
    args: string[],
    options: { env: Record<string, string>; logFile: string },
  ) {
    const log = openSync(options.logFile, 'a');
    try {
      this.child = spawn(file, args, { env: options.env, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      // A spawn failure (ENOENT) emits 'error' and may never emit 'exit'.
      this.child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Undefined while it runs; how it ended once it has. */
  get exit(): DaemonExit | undefined {
    return this.exitInfo;
  }

  /** SIGTERM, then SIGKILL if it has not exited after graceMs. Resolves once it is reaped. */
  async stop(graceMs = 10_000): Promise<DaemonExit> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, escalate]);
    clearTimeout(timer);
    return this.exited;
  }
}
