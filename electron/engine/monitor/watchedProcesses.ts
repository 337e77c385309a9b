import { readFileSync } from 'node:fs';
import type { ProcessTarget, WatchedProcess } from '../../../shared/monitoring';
import { EngineError } from '../engineError';
import { parseProcStat } from './procStat';
import type { ProcTable } from './procTable';
import { readCommandLine } from './processText';

/** The id a watched process gets: stable for one process, different after pid reuse. */
export const watchIdOf = (pid: number, startTime: number): string => `w${pid}-${startTime}`;

/**
 * Processes Procdeck did not start but samples like jobs. Each is remembered with its start
 * time, so when its pid is reused by another process the watch ends instead of following it.
 */
export class WatchedProcesses {
  private readonly byId = new Map<string, WatchedProcess>();

  /** Starts watching a live process; watching it again returns the same entry. */
  watch(target: ProcessTarget, at = Date.now()): WatchedProcess {
    let entry;
    try {
      entry = parseProcStat(readFileSync(`/proc/${target.pid}/stat`, 'latin1'), 1);
    } catch {
      entry = undefined;
    }
    if (!entry) throw new EngineError('NOT_FOUND', `no such process: pid ${target.pid} is not running`, 'pid');
    if (target.startTime !== undefined && target.startTime !== entry.startTime) {
      throw new EngineError('NOT_FOUND', `pid ${target.pid} has exited and now belongs to another process`, 'pid');
    }
    const id = watchIdOf(entry.pid, entry.startTime);
    const existing = this.byId.get(id);
    if (existing) return existing;
    const watched: WatchedProcess = { id, pid: entry.pid, startTime: entry.startTime, command: readCommandLine(entry.pid, entry.comm), watchedAt: at };
    this.byId.set(id, watched);
    return watched;
  }

  unwatch(id: string): boolean {
    return this.byId.delete(id);
  }

  get(id: string): WatchedProcess | undefined {
    return this.byId.get(id);
  }

  list(): WatchedProcess[] {
    return [...this.byId.values()];
  }

  get liveCount(): number {
    let live = 0;
    for (const w of this.byId.values()) if (w.endedAt === undefined) live++;
    return live;
  }

  /** Pids of the watches not ended yet (their processes may have exited since the last tick). */
  livePids(): number[] {
    const pids: number[] = [];
    for (const w of this.byId.values()) if (w.endedAt === undefined) pids.push(w.pid);
    return pids;
  }

  /**
   * id → pid of every watched process still alive in `table`. Those gone (or whose pid now
   * names another process) get endedAt and are returned in `ended`.
   */
  roots(table: ProcTable, at = Date.now()): { roots: Map<string, number>; ended: WatchedProcess[] } {
    const roots = new Map<string, number>();
    const ended: WatchedProcess[] = [];
    for (const [id, watched] of this.byId) {
      if (watched.endedAt !== undefined) continue;
      if (table.processes.get(watched.pid)?.startTime === watched.startTime) {
        roots.set(id, watched.pid);
      } else {
        const done = { ...watched, endedAt: at };
        this.byId.set(id, done);
        ended.push(done);
      }
    }
    return { roots, ended };
  }
}
