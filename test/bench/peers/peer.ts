// One process manager under test, driven through its own API the way an operator's tool
// would be. The bench measures every figure from /proc (procfs.ts), never from what a
// manager says about itself; the manager's API is only used to ask it to do things.

/** `count` long `sleep` jobs, each with `marker` on its command line. */
export interface SleeperPlan {
  count: number;
  marker: string;
  /** Started by the manager at launch (supervisord's default) instead of on request. */
  autostart: boolean;
  /** Each job a shell with `sleep` as its child (`sh -c 'sleep M; exit 0'`): two processes to stop, not one. */
  wrapped?: boolean;
}

/** The sleeper job's command line. */
export const sleeperArgv = (plan: SleeperPlan): string[] => (plan.wrapped ? ['sh', '-c', `sleep ${plan.marker}; exit 0`] : ['sleep', plan.marker]);

/** One `sh -c script` job writing lines to stdout; `marker` is in the script. */
export interface LogJobPlan {
  script: string;
  marker: string;
}

/** What the manager must know before it starts (supervisord reads its programs from its config file only). */
export interface LaunchPlan {
  sleepers?: SleeperPlan;
  logJob?: LogJobPlan;
}

export interface Peer {
  /** Tool and settings, as printed ("PM2 7.0.4, autorestart false"). */
  readonly label: string;
  /** Starts the manager, with no job running (unless the plan's sleepers autostart); resolves once it answers. */
  launch(plan: LaunchPlan): Promise<void>;
  /** The manager's main process: its RSS is "the manager's RSS". */
  mainPid(): number;
  /** Where the manager's process tree starts (the command the operator typed, or the daemon it left). */
  treeRoots(): number[];
  /** Asks for the plan's sleepers (does nothing when they autostart); resolves when the manager has answered. */
  startSleepers(): Promise<void>;
  /** Asks the manager to stop every job; resolves when it has answered. */
  stopAll(): Promise<void>;
  startLogJob(): Promise<void>;
  /** Whether the manager itself reports the log job as ended (its API, not /proc). */
  logJobEnded(): Promise<boolean>;
  /** Bytes of the log job's output in the manager's log files now. */
  logBytesOnDisk(): number;
  /** SIGKILL to the manager's processes (an OOM kill, a `kill -9`); its jobs are left alone. */
  crash(): void;
  /** Starts the manager again on the same state (data dir, PM2_HOME, config), as an operator would after a crash. */
  relaunch(): Promise<void>;
  /** Stops the manager and everything it started, and removes its files. */
  close(): Promise<void>;
  /** What the manager printed or logged lately, shown when a figure looks wrong. */
  diagnostics?(): string;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SIGKILL, ignoring a process that is already gone. */
export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

// Whatever a peer left running if the bench itself dies (Ctrl-C, an exception): killed on the way out.
const leftovers = new Set<() => void>();
let exitHooked = false;

/** Registers a synchronous last-resort cleanup; call the returned function once the peer closed normally. */
export function onBenchExit(cleanup: () => void): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => leftovers.forEach((fn) => fn()));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  }
  leftovers.add(cleanup);
  return () => leftovers.delete(cleanup);
}
