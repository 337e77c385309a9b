import type { EventEmitter } from 'node:events';
import { logFault, type FaultLog } from './faultLog';

export interface FaultStormLimit {
  /** This many faults … */
  faults: number;
  /** … within this window mean a fault loop: the host shuts down (jobs stopped first). */
  windowMs: number;
}

/**
 * A fault at every monitor tick (1 Hz) is 10 in 10 s and is ridden out; 100 in 10 s is a loop
 * that would only fill the log and burn a core while supervising nothing reliably.
 */
export const DEFAULT_STORM_LIMIT: FaultStormLimit = { faults: 100, windowMs: 10_000 };

/** Past this, a shutdown that hangs (a job that ignores SIGKILL in D state) is given up on. */
export const SHUTDOWN_DEADLINE_MS = 30_000;

/** The exit code of a host that shut itself down over a fault storm (EX_SOFTWARE). */
export const FAULT_STORM_EXIT_CODE = 70;

export interface FaultGuardOptions {
  /** Stops every job, then releases the engine (the same path as SIGTERM). */
  shutdown: () => Promise<void>;
  exit?: (code: number) => void;
  log?: FaultLog;
  /** Plain lines (the storm's decision), stderr by default. */
  say?: (line: string) => void;
  storm?: FaultStormLimit;
  shutdownDeadlineMs?: number;
  now?: () => number;
  /** `process`, or a stand-in in tests. */
  target?: EventEmitter;
}

export interface FaultGuard {
  readonly faultCount: number;
  dispose(): void;
}

/**
 * The last line of defence, for what nobody foresaw: an exception or rejection that escaped
 * a request, message, timer or child-process handler is logged with its stack and that one
 * operation has failed; the host keeps running and supervising its jobs. Only a storm of
 * faults (a loop, see DEFAULT_STORM_LIMIT) ends it, and then through `shutdown`, so its jobs
 * are stopped first and never left running unsupervised.
 */
export function installFaultGuard(options: FaultGuardOptions): FaultGuard {
  const target = options.target ?? process;
  const log = options.log ?? logFault;
  const storm = options.storm ?? DEFAULT_STORM_LIMIT;
  const now = options.now ?? Date.now;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const say = options.say ?? ((line: string) => console.error(line));
  const deadlineMs = options.shutdownDeadlineMs ?? SHUTDOWN_DEADLINE_MS;
  const recent: number[] = [];
  let faultCount = 0;
  let shuttingDown = false;

  const shutDown = () => {
    shuttingDown = true;
    say(`procdeck: fault storm: ${storm.faults} faults within ${storm.windowMs / 1000} s; stopping every job, then exiting with code ${FAULT_STORM_EXIT_CODE}`);
    const deadline = setTimeout(() => {
      say(`procdeck: jobs still not stopped ${deadlineMs / 1000} s after the fault storm; exiting anyway (the next start reaps what is left)`);
      exit(FAULT_STORM_EXIT_CODE);
    }, deadlineMs);
    Promise.resolve()
      .then(options.shutdown)
      .catch((error: unknown) => log('shutdown after the fault storm failed', error))
      .finally(() => {
        clearTimeout(deadline);
        exit(FAULT_STORM_EXIT_CODE);
      });
  };

  const onFault = (kind: string) => (error: unknown) => {
    faultCount++;
    log(`${kind}: the operation it escaped from has failed; ${shuttingDown ? 'Procdeck is shutting down' : 'Procdeck keeps running'}`, error);
    if (shuttingDown) return;
    const at = now();
    recent.push(at);
    while (recent.length > 0 && recent[0]! <= at - storm.windowMs) recent.shift();
    if (recent.length >= storm.faults) shutDown();
  };
  const onException = onFault('uncaught exception');
  const onRejection = onFault('unhandled promise rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return {
    get faultCount() {
      return faultCount;
    },
    dispose() {
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    },
  };
}
