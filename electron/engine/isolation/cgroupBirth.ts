import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Where a run's process is born: its tracking cgroup's cgroup.procs, and the cgroup.procs of
 * the cgroup the engine itself runs in (the tracking base's parent), to go back to.
 */
export interface CgroupBirth {
  procs: string;
  home: string;
}

/** Writes the engine's pid into a cgroup.procs: its whole process moves there. Opened each time: a kept descriptor would hold the hierarchy's mount busy. */
function writePid(path: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
}

/** Moves the engine back into its own cgroup; false if the kernel refused it twice. */
function goHome(home: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writePid(home);
      return true;
    } catch {
      // Once more (a signal's EINTR, a moment of ENOMEM), then never go on inside.
    }
  }
  return false;
}

/**
 * The engine could not leave a run's cgroup. It must not go on: a run's stop or end kills its
 * whole cgroup, the engine with it, at a moment nobody chose. It ends here instead, having
 * killed what it just spawned; crash recovery then takes over its runs, as after any death.
 */
function stuckInside(home: string): never {
  process.stderr.write(`procdeck: the engine cannot leave a run's cgroup for its own (${home}); ending the engine\n`);
  process.exit(70);
}

/**
 * Runs `spawn` with the engine's whole process moved into the run's cgroup, then moves it back:
 * the kernel puts a child in its forking thread's cgroup, so the job is born inside and runs
 * there from its first instruction, without the `sh` that joined from within (an exec and a
 * shell start per job, see joinPrefix). Node's spawn is synchronous on this thread (fork, then
 * the wait for the child's exec), so nothing of the engine reads, signals or removes the cgroup
 * while the engine is a member. Only for a cgroup without limits (JobCgroup.birth): in a memory
 * or pids cap the engine would be charged and counted, and could be what the OOM killer picks.
 * Throws, having spawned nothing, if the cgroup cannot be joined; ends the engine (stuckInside)
 * if the way back is refused.
 */
export function bornInside<T>(birth: CgroupBirth, spawn: () => T, killSpawned: (spawned: T) => void): T {
  try {
    writePid(birth.procs);
  } catch (error) {
    // Moved all the same if only the close failed: back home before saying so.
    if (!goHome(birth.home)) stuckInside(birth.home);
    throw new Error(`cannot join the run's cgroup ${birth.procs} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let spawned: T | undefined;
  try {
    spawned = spawn();
  } finally {
    if (!goHome(birth.home)) {
      if (spawned !== undefined) killSpawned(spawned);
      stuckInside(birth.home);
    }
  }
  return spawned;
}
