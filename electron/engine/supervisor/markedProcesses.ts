import { readdirSync, readFileSync } from 'node:fs';
import { isDeadProcess, leaderThreadEnded, parseProcStat } from '../monitor/procStat';
import { otherThreads, readSmall } from '../monitor/statReader';
import { memoryPageSize } from '../monitor/systemConstants';
import { readStartTime } from './processGroup';
import { parseRunMarker, RUN_MARKER_ENV } from './runMarker';

const NEEDLE = Buffer.from(`${RUN_MARKER_ENV}=`, 'latin1');

/** The environment the process was exec'd with; empty when gone or unreadable. */
function environOf(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * The run marker in /proc/<pid>/environ (the environment the process was exec'd with), or
 * undefined: no marker, gone, or unreadable (kernel threads have an empty environment).
 * `leaderGone`: the process's first thread has ended while others run (Z with threads), and its
 * own environ reads empty: a live thread's is the process's.
 */
export function readRunMarker(pid: number, leaderGone = false): string | undefined {
  let environ = leaderGone ? Buffer.alloc(0) : environOf(`/proc/${pid}/environ`);
  if (leaderGone) for (const tid of otherThreads(pid)) if ((environ = environOf(`/proc/${pid}/task/${tid}/environ`)).length > 0) break;
  for (let at = environ.indexOf(NEEDLE); at >= 0; at = environ.indexOf(NEEDLE, at + 1)) {
    // Only a whole variable counts, not "XPDK_RUN_ID=…" or a value that contains the name.
    if (at > 0 && environ[at - 1] !== 0) continue;
    const end = environ.indexOf(0, at);
    return environ.toString('latin1', at + NEEDLE.length, end < 0 ? environ.length : end);
  }
  return undefined;
}

interface KnownMarker {
  startTime: number;
  marker: string | undefined;
  /** Read through a live thread (the leader's own thread had ended). */
  throughThread: boolean;
}

/**
 * Markers by process (pid + start time): a process's environment is read once in its life.
 * It changes only at exec, so a process that re-execs with a cleaned environment stays
 * found, and one that never had the marker is not read again at every scan.
 */
export class MarkerCache {
  private known = new Map<number, KnownMarker>();
  private seen = new Map<number, KnownMarker>();

  /**
   * `leaderGone` as readRunMarker takes it: what was read while the leader ran stays known (it
   * changes only at exec), but an empty read of a leader that had already ended is read again
   * through a live thread.
   */
  markerOf(pid: number, startTime: number, leaderGone = false): string | undefined {
    let entry = this.known.get(pid);
    if (entry?.startTime !== startTime || (leaderGone && entry.marker === undefined && !entry.throughThread)) {
      entry = { startTime, marker: readRunMarker(pid, leaderGone), throughThread: leaderGone };
    }
    this.seen.set(pid, entry);
    return entry.marker;
  }

  /** Forgets the processes not looked up since the last call (gone). */
  endScan(): void {
    this.known = this.seen;
    this.seen = new Map();
  }
}

export interface MarkedProcess {
  pid: number;
  pgid: number;
  startTime: number;
  /** Of the marker; undefined for a member of the run's process group without one (it cleared it). */
  runId?: string;
  /** Whose run the marker says (absent from markers of engines before it said so). */
  jobId?: string;
}

const shared = new MarkerCache();

/**
 * Every live process of this data directory's runs (of one run when runId is given) that
 * carries its marker, plus, with pgid, the live members of the run's process group: one
 * stat read per process of the machine, and one environ read per process the cache has not
 * seen yet. The fallback where no cgroup tracks a run, and crash recovery's net.
 */
export function findMarkedProcesses(dataDirId: string, runId?: string, pgid?: number): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  const pageSize = memoryPageSize();
  for (const name of readdirSync('/proc')) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const text = readSmall(`/proc/${name}/stat`);
    const entry = text === undefined ? undefined : parseProcStat(text, pageSize);
    if (!entry || entry.pid === process.pid) continue;
    const marker = parseRunMarker(shared.markerOf(entry.pid, entry.startTime, leaderThreadEnded(entry)) ?? '');
    // A zombie is dead, only not reaped yet; its cache entry is kept all the same.
    if (isDeadProcess(entry)) continue;
    const ours = marker?.dataDirId === dataDirId && (runId === undefined || marker.runId === runId);
    if (ours) found.push({ pid: entry.pid, pgid: entry.pgid, startTime: entry.startTime, runId: marker.runId, ...(marker.jobId !== undefined && { jobId: marker.jobId }) });
    else if (pgid !== undefined && entry.pgid === pgid) found.push({ pid: entry.pid, pgid: entry.pgid, startTime: entry.startTime });
  }
  shared.endScan();
  return found;
}

/**
 * SIGKILLs a found process unless its pid now names another process (start time changed
 * since it was found). Returns whether a signal was sent.
 */
export function killFound(found: MarkedProcess): boolean {
  if (readStartTime(found.pid) !== found.startTime) return false;
  try {
    process.kill(found.pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
