import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStartTime } from '../supervisor/processGroup';

interface LockOwner {
  pid: number;
  startTime?: number;
}

export interface DataDirLock {
  release(): void;
}

function ownerIsAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A recycled pid belongs to someone else: the start time tells them apart.
  return owner.startTime === undefined || readStartTime(owner.pid) === owner.startTime;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, startTime: owner.startTime } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One engine per data directory. A second one would take the first one's running jobs
 * for leftovers of a crash and kill them, so it is refused instead. A lock left by a
 * process that is gone is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, 'engine.lock');
  const me: LockOwner = { pid: process.pid, startTime: readStartTime(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside, then hard-linked into place: link fails if the lock exists, and a
    // lock that exists is always complete (never an empty file being written).
    const pending = `${path}.${process.pid}`;
    writeFileSync(pending, JSON.stringify(me), { mode: 0o600 });
    try {
      linkSync(pending, path);
      return {
        release() {
          if (readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && owner.pid !== me.pid && ownerIsAlive(owner)) {
        throw new Error(`another Procdeck (pid ${owner.pid}) is already using the data directory ${dataDir}`, { cause: error });
      }
      rmSync(path, { force: true });
    } finally {
      rmSync(pending, { force: true });
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}`);
}
