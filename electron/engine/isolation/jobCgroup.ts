import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../engineError';
import type { CgroupV1, CgroupV2 } from './capabilities';

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
 * One run's cgroup(s): on v1 a directory in the memory and/or the pids hierarchy, on v2 one
 * directory. The job joins them itself before exec'ing its command (see joinPrefix), so its
 * first instruction already runs capped and every process it starts inherits them.
 */
export class JobCgroup {
  private lastCounters: CgroupCounters = { oomKills: 0, forksRefused: 0 };
  private removed = false;

  private constructor(
    readonly version: 1 | 2,
    readonly dirs: readonly string[],
    private readonly memoryDir: string | undefined,
    private readonly pidsDir: string | undefined,
  ) {}

  /** Makes the run's cgroup(s) and writes the caps; throws SYSTEM_REFUSED (cleaning up) if the kernel refuses. */
  static create(runId: string, cgroup: CgroupV1 | CgroupV2, limits: CgroupLimits): JobCgroup {
    const made: string[] = [];
    const make = (parent: string) => {
      const dir = join(parent, runId);
      mkdirSync(dir);
      made.push(dir);
      return dir;
    };
    try {
      if (cgroup.version === 2) {
        const dir = make(cgroup.base);
        if (limits.memoryBytes !== undefined) {
          writeFileSync(join(dir, 'memory.max'), String(limits.memoryBytes));
          // Without this the cap is on RAM only and a job could keep growing into swap.
          tryWrite(join(dir, 'memory.swap.max'), '0');
        }
        if (limits.processes !== undefined) writeFileSync(join(dir, 'pids.max'), String(limits.processes));
        return new JobCgroup(2, made, dir, dir);
      }
      let memoryDir: string | undefined;
      let pidsDir: string | undefined;
      if (limits.memoryBytes !== undefined && cgroup.memory) {
        memoryDir = make(cgroup.memory);
        // memsw (RAM + swap) must never be below limit_in_bytes, so RAM is written first.
        writeFileSync(join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        if (cgroup.memsw) writeFileSync(join(memoryDir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
      }
      if (limits.processes !== undefined && cgroup.pids) {
        pidsDir = make(cgroup.pids);
        writeFileSync(join(pidsDir, 'pids.max'), String(limits.processes));
      }
      return new JobCgroup(1, made, memoryDir, pidsDir);
    } catch (error) {
      for (const dir of made.reverse()) tryRmdir(dir);
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new EngineError('SYSTEM_REFUSED', `could not set up the job's cgroup under ${made[0] ?? runId} (${code})`);
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

  counters(): CgroupCounters {
    if (this.removed) return this.lastCounters;
    const oomKills = this.memoryDir
      ? readKeyed(join(this.memoryDir, this.version === 2 ? 'memory.events' : 'memory.oom_control'), 'oom_kill')
      : 0;
    const forksRefused = this.pidsDir ? readKeyed(join(this.pidsDir, 'pids.events'), 'max') : 0;
    this.lastCounters = { oomKills, forksRefused };
    return this.lastCounters;
  }

  /** Every process still in the run's cgroup(s), including any that left its process group. */
  members(): number[] {
    const pids = new Set<number>();
    for (const file of this.procsFiles) {
      try {
        for (const line of readFileSync(file, 'utf8').split('\n')) if (line) pids.add(Number(line));
      } catch {
        // removed
      }
    }
    return [...pids];
  }

  /**
   * Removes the cgroup(s) once empty. A cgroup with members cannot be removed, so this waits
   * up to killAfterMs (the supervisor's TERM → KILL escalation happens meanwhile), then
   * SIGKILLs what is left: processes that left the job's process group (setsid) are still
   * the job's. Counters are read first, for explaining the end afterwards.
   */
  async remove(killAfterMs = 10_000): Promise<boolean> {
    if (this.removed) return true;
    this.counters();
    const deadline = Date.now() + killAfterMs;
    while (this.members().length > 0 && Date.now() < deadline) await sleep(25);
    for (let round = 0; round < 40 && this.members().length > 0; round++) {
      for (const pid of this.members()) tryKill(pid);
      await sleep(25);
    }
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

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * A /bin/sh prefix that writes its own pid ($$) into each cgroup.procs, then exec's the rest
 * of the command line: the job's first instruction runs inside the cgroup, and the pid (so
 * the process group the supervisor signals) stays the same. Paths travel as arguments, never
 * inside the script, so no quoting can go wrong.
 */
export function joinPrefix(procsFiles: readonly string[]): string[] {
  const script = 'while [ "$1" != -- ]; do echo $$ > "$1" || { echo "procdeck: cannot join cgroup $1" >&2; exit 125; }; shift; done; shift; exec "$@"';
  return ['/bin/sh', '-c', script, 'procdeck-cgroup', ...procsFiles, '--'];
}
