import { readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Capabilities } from './capabilities';

export interface ReapedCgroup {
  dir: string;
  killedPids: number[];
  removed: boolean;
}

function parents(caps: Capabilities): string[] {
  const cgroup = caps.cgroup;
  if (!cgroup) return [];
  if (cgroup.version === 2) return [cgroup.base];
  return [cgroup.memory, cgroup.pids].filter((d): d is string => d !== undefined);
}

function members(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * At engine start: cgroups a crashed engine left behind. Those of the runs it recorded as
 * running (leftoverRunIds, from the running registry) are the dead engine's own: what is
 * still in them (processes that escaped the process group, which pgid reaping misses) is
 * killed. Other cgroups may belong to another live engine, so they are only removed when
 * empty and older than minAgeMs (rmdir refuses a non-empty cgroup anyway).
 */
export function reapStaleCgroups(caps: Capabilities, leftoverRunIds: readonly string[] = [], minAgeMs = 60_000): ReapedCgroup[] {
  const reaped: ReapedCgroup[] = [];
  const ours = new Set(leftoverRunIds);
  for (const parent of parents(caps)) {
    let names: string[];
    try {
      names = readdirSync(parent, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = join(parent, name);
      const killedPids: number[] = [];
      if (ours.has(name)) {
        for (const pid of members(dir)) {
          try {
            process.kill(pid, 'SIGKILL');
            killedPids.push(pid);
          } catch {
            // gone
          }
        }
      } else {
        let createdAt: number;
        try {
          createdAt = statSync(dir).mtimeMs;
        } catch {
          continue;
        }
        if (Date.now() - createdAt < minAgeMs || members(dir).length > 0) continue;
      }
      let removed = false;
      // Killed processes leave the cgroup asynchronously: retry briefly.
      for (let i = 0; i < 50 && !removed; i++) {
        try {
          rmdirSync(dir);
          removed = true;
        } catch {
          // Synchronous on purpose: this runs once at start-up, before anything is launched.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
      }
      reaped.push({ dir, killedPids, removed });
    }
  }
  return reaped;
}
