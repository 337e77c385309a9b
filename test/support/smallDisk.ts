import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real small filesystem (tmpfs) for out-of-space tests; needs root (mount). */
export interface SmallDisk {
  dir: string;
  /** Writes a file until the disk is full; returns its path. */
  fill(name?: string): string;
  unmount(): void;
}

/** Mounts a tmpfs of `size` (e.g. "5m"), or returns why it could not (the caller skips, saying so). */
export function mountSmallDisk(size: string): SmallDisk | { refused: string } {
  const dir = mkdtempSync(join(tmpdir(), 'procdeck-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { refused: `mount -t tmpfs refused: ${stderr || (error as Error).message}` };
  }
  return {
    dir,
    fill(name = 'filler') {
      const path = join(dir, name);
      const fd = openSync(path, 'a');
      const chunk = Buffer.alloc(64 * 1024, 0x66);
      try {
        // Down to single bytes at the end: not a page left for anyone else.
        for (let size = chunk.length; size >= 1; size >>= 1) {
          for (;;) {
            try {
              if (writeSync(fd, chunk, 0, size) < size) break;
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
              break;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      return path;
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
