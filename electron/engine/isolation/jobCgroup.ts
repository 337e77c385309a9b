import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupBirth } from './cgroupBirth';
import { EngineError } from '../engineError';
import { isLiveProcess } from '../supervisor/processGroup';
import type { CgroupV1, CgroupV2, TrackingCgroup } from './capabilities';
import { ProcFile } from '../monitor/statReader';
import { killCgroup, parsePids, readMembers, signalCgroup, type CgroupKillMethod } from './cgroupKill';

/** Limit hits the kernel counted for a job's cgroup. */
export interface CgroupCounters {
  /** Processes the OOM killer killed because the group hit its memory cap. */
  oomKills: number;
  /** Forks and clones refused because the group hit its process cap. */
  forksRefused: number;
}

export interface CgroupLimits {
  memoryBytes?: number;
  processes?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** "key value" lines (memory.events, pids.events, memory.oom_control) → the value of key. */
export function readKeyed(path: string, key: string): number {
  try {
    const line = readFileSync(path, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${key} `));
    return line ? Number(line.slice(key.length + 1)) || 0 : 0;
  } catch {
    return 0;
  }
}

/**
 * One run's cgroup(s): the tracking cgroup every run gets where the machine allows one (see
 * TrackingCgroup), plus on v1 a directory in the memory and/or pids hierarchy when those
 * limits are asked for (on v2, and for pids when pids is also the tracking hierarchy, it is
 * the same directory). A run with no limit is born in its tracking cgroup (birth, bornInside);
 * one with limits joins them itself before exec'ing its command (joinPrefix). Either way its
 * first instruction already runs inside, and every process it starts inherits them.
 */
export class JobCgroup {
  private lastCounters: CgroupCounters = { oomKills: 0, forksRefused: 0 };
  private removed = false;
  /** The tracking cgroup's cgroup.procs, kept open once read, on v2 only (see readProcs()). */
  private procs?: ProcFile;
  private releasing = false;
  /** What sampleMembers read last and the pids in it (callers do not modify the list). */
  private lastMembers?: { text: string; pids: number[] };

  private constructor(
    /** Of the limit cgroups (the memory counters live in other files on v1). */
    readonly version: 1 | 2,
    readonly dirs: readonly string[],
    private readonly memoryDir: string | undefined,
    private readonly pidsDir: string | undefined,
    /** Holds every process of the run; undefined when only limit cgroups were made. */
    readonly trackingDir: string | undefined,
    private readonly killMethod: CgroupKillMethod,
    /** Set when the run's one cgroup is its tracking cgroup, with no limit: its process is born there (bornInside). */
    readonly birth?: CgroupBirth,
  ) {}

  /** The tracking cgroup is a v2 one (its kill method says so): a pread of its kept-open cgroup.procs lists the members as they are now. */
  private get keepsProcsOpen(): boolean {
    return this.killMethod === 'cgroup.kill' || this.killMethod === 'v2-freeze';
  }

  /**
   * Makes the run's cgroup(s), named `name` (the data dir's id and the run id: unique across
   * engines sharing a parent), and writes the caps; throws SYSTEM_REFUSED (cleaning up) if
   * the kernel refuses.
   */
  static create(name: string, cgroup: CgroupV1 | CgroupV2 | undefined, limits: CgroupLimits, tracking?: TrackingCgroup): JobCgroup {
    const made = new Map<string, string>();
    const make = (parent: string) => {
      let dir = made.get(parent);
      if (dir === undefined) {
        dir = join(parent, name);
        mkdirSync(dir);
        made.set(parent, dir);
      }
      return dir;
    };
    try {
      const trackingDir = tracking ? make(tracking.base) : undefined;
      const bornThere = (): CgroupBirth | undefined =>
        tracking?.bornFrom && trackingDir && made.size === 1 && limits.memoryBytes === undefined && limits.processes === undefined
          ? { procs: join(trackingDir, 'cgroup.procs'), home: join(tracking.bornFrom, 'cgroup.procs') }
          : undefined;
      const killMethod: CgroupKillMethod =
        tracking?.version === 2 ? (tracking.kill ? 'cgroup.kill' : 'v2-freeze') : tracking?.hierarchy === 'freezer' ? 'v1-freezer' : 'loop';
      if (cgroup?.version === 2) {
        const wantsLimit = limits.memoryBytes !== undefined || limits.processes !== undefined;
        const dir = wantsLimit || trackingDir ? make(cgroup.base) : undefined;
        if (dir && limits.memoryBytes !== undefined) {
          writeFileSync(join(dir, 'memory.max'), String(limits.memoryBytes));
          // Without this the cap is on RAM only and a job could keep growing into swap.
          tryWrite(join(dir, 'memory.swap.max'), '0');
        }
        if (dir && limits.processes !== undefined) writeFileSync(join(dir, 'pids.max'), String(limits.processes));
        return new JobCgroup(2, [...made.values()], dir, dir, trackingDir, killMethod, bornThere());
      }
      let memoryDir: string | undefined;
      let pidsDir: string | undefined;
      if (limits.memoryBytes !== undefined && cgroup?.memory) {
        memoryDir = make(cgroup.memory);
        // memsw (RAM + swap) must never be below limit_in_bytes, so RAM is written first.
        writeFileSync(join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        if (cgroup.memsw) writeFileSync(join(memoryDir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
      }
      if (limits.processes !== undefined && cgroup?.pids) {
        pidsDir = make(cgroup.pids);
        writeFileSync(join(pidsDir, 'pids.max'), String(limits.processes));
      }
      return new JobCgroup(1, [...made.values()], memoryDir, pidsDir, trackingDir, killMethod, bornThere());
    } catch (error) {
      for (const dir of [...made.values()].reverse()) tryRmdir(dir);
      const first = [...made.values()][0];
      throw new EngineError('SYSTEM_REFUSED', `could not set up the job's cgroup under ${first ?? name} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }

  get hasMemory(): boolean {
    return this.memoryDir !== undefined;
  }

  get hasPids(): boolean {
    return this.pidsDir !== undefined;
  }

  /** The files the job writes its own pid to before exec'ing. */
  get procsFiles(): string[] {
    return this.dirs.map((d) => join(d, 'cgroup.procs'));
  }

  get kill(): CgroupKillMethod {
    return this.killMethod;
  }

  counters(): CgroupCounters {
    if (this.removed) return this.lastCounters;
    const oomKills = this.memoryDir
      ? readKeyed(join(this.memoryDir, this.version === 2 ? 'memory.events' : 'memory.oom_control'), 'oom_kill')
      : 0;
    const forksRefused = this.pidsDir ? readKeyed(join(this.pidsDir, 'pids.events'), 'max') : 0;
    this.lastCounters = { oomKills, forksRefused };
    return this.lastCounters;
  }

  /**
   * Every process of the run, including any that left its process group or session. Throws
   * when the list cannot be read. A v2 tracking cgroup's list is read through the kept-open
   * cgroup.procs (opened here if the tick or a signal has not yet; see readProcs for v1): a
   * run's end reads it at the main process's exit and again before the rmdir, and a stop of
   * 100 jobs is 100 of those ends in a row, each one delaying the reaping of the next. Opening a cgroup file costs several
   * times the pread that regenerates the list of an open one (see sampleMembers).
   */
  members(): number[] {
    if (this.trackingDir) {
      const text = this.removed ? undefined : this.readProcs();
      // Not readable through the kept file (the cgroup is gone, EMFILE…): readMembers says [] or throws.
      return text === undefined ? readMembers(this.trackingDir) : parsePids(text);
    }
    const pids = new Set<number>();
    for (const dir of this.dirs) for (const pid of readMembers(dir)) pids.add(pid);
    return [...pids];
  }

  /**
   * members() for the monitor's tick: on v2 through a kept-open cgroup.procs (a pread regenerates
   * it, about 7× cheaper than open + read + close here). Undefined when it cannot be read.
   */
  sampleMembers(): readonly number[] | undefined {
    if (this.removed) return [];
    if (!this.trackingDir) return undefined;
    const text = this.readProcs();
    if (text === undefined) return undefined;
    // The same members as at the last tick (the usual case): the same list, not parsed again.
    if (text !== this.lastMembers?.text) this.lastMembers = { text, pids: parsePids(text) };
    return this.lastMembers.pids;
  }

  /**
   * The tracking cgroup's cgroup.procs; undefined when it cannot be read. On v2, through the
   * file opened at its first read and kept open until the rmdir: each pread at offset 0 walks
   * the cgroup's tasks again. Not on v1: there an open file keeps the pid list it built at its
   * first read (the kernel's cgroup pidlist, destroyed only a second after its last reader
   * stopped), so a kept file read more often than that never shows a process forked since; a
   * fresh open rebuilds the list. Once the rmdir is near (releasing), read without keeping it:
   * a file reopened then would outlive the cgroup.
   */
  private readProcs(): string | undefined {
    const path = join(this.trackingDir!, 'cgroup.procs');
    if (this.keepsProcsOpen && !this.releasing) return (this.procs ??= new ProcFile(path)).read();
    try {
      return readFileSync(path, 'latin1');
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? '' : undefined;
    }
  }

  private membersOrNone(): number[] {
    try {
      return this.members();
    } catch {
      return [];
    }
  }

  /** SIGKILLs every member so that none can fork a survivor meanwhile (see CgroupKillMethod). */
  async killAll(): Promise<number[]> {
    if (this.removed) return [];
    if (this.trackingDir) return killCgroup(this.trackingDir, this.killMethod);
    const killed = new Set<number>();
    for (const dir of this.dirs) for (const pid of await killCgroup(dir, 'loop')) killed.add(pid);
    return [...killed];
  }

  /**
   * Sends the signals, in order, to every member. The tracking cgroup's list is read once for
   * all of them, on v2 through the kept-open cgroup.procs the tick reads too: a stop of 100
   * jobs is 100 of these in a row, before the engine gets to reaping any of them.
   */
  signalAll(signals: readonly NodeJS.Signals[], reached?: number): void {
    if (this.removed) return;
    if (!this.trackingDir) {
      for (const dir of this.dirs) signalCgroup(dir, signals, undefined, reached);
      return;
    }
    const text = this.readProcs();
    signalCgroup(this.trackingDir, signals, text === undefined ? undefined : parsePids(text), reached);
  }

  /**
   * Removes the cgroup(s) once empty. A cgroup with members cannot be removed, so this waits
   * up to killAfterMs, then kills what is left. Counters are read first, for explaining the
   * end afterwards.
   */
  async remove(killAfterMs = 10_000): Promise<boolean> {
    if (this.removed) return true;
    this.counters();
    const deadline = Date.now() + killAfterMs;
    let members = this.membersOrNone();
    while (members.some(isLiveProcess) && Date.now() < deadline) {
      await sleep(25);
      members = this.membersOrNone();
    }
    // The list the wait ended on, read last: what is in it (exiting, or still there at the deadline) is killed.
    if (members.length > 0) await this.killAll();
    this.releasing = true;
    this.procs?.close();
    // The last exit can still be settling in the kernel: rmdir says EBUSY for a moment.
    for (let attempt = 0; attempt < 40; attempt++) {
      const left = this.dirs.filter((dir) => !tryRmdir(dir));
      if (left.length === 0) {
        this.removed = true;
        return true;
      }
      await sleep(25);
    }
    return false;
  }
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // optional file (no swap controller)
  }
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * A /bin/sh prefix that writes its own pid ($$) into each cgroup.procs, then exec's the rest
 * of the command line: the job's first instruction runs inside the cgroup, and the pid (so
 * the process group the supervisor signals) stays the same. Paths travel as arguments, never
 * inside the script, so no quoting can go wrong. dash exports PWD (set to the real working
 * directory) to what it execs: the first argument puts back the job's own PWD ("=value") or
 * its absence ("-"), so the job gets exactly the environment it was given.
 */
export function joinPrefix(procsFiles: readonly string[], pwd: string | undefined): string[] {
  const script =
    'case "$1" in -) unset PWD;; *) PWD=${1#=}; export PWD;; esac; shift; ' +
    'while [ "$1" != -- ]; do echo $$ > "$1" || { echo "procdeck: cannot join cgroup $1" >&2; exit 125; }; shift; done; shift; exec "$@"';
  return ['/bin/sh', '-c', script, 'procdeck-cgroup', pwd === undefined ? '-' : `=${pwd}`, ...procsFiles, '--'];
}
