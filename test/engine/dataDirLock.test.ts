import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../electron/engine/store/dataDirLock';
import { tempDir } from '../engine/helpers';

const dir = tempDir('procdeck-lock-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('data directory lock', () => {
  it('refuses a second engine on a directory a live process holds', async () => {
    const holder = spawn('sleep', ['30']);
    writeFileSync(join(dir, 'engine.lock'), JSON.stringify({ pid: holder.pid }));
    try {
      expect(() => lockDataDir(dir)).toThrow(`another Procdeck (pid ${holder.pid}) is already using the data directory`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
    // Its holder is gone now: the lock is taken over.
    const lock = lockDataDir(dir);
    lock.release();
  });

  it('takes over a lock whose pid now belongs to another process, and a garbled one', () => {
    writeFileSync(join(dir, 'engine.lock'), JSON.stringify({ pid: 1, startTime: -1 }));
    lockDataDir(dir).release();
    writeFileSync(join(dir, 'engine.lock'), 'garbage');
    const lock = lockDataDir(dir);
    // A lock held by this very process is its own (the process decides what it opens).
    expect(() => lockDataDir(dir)).not.toThrow();
    lock.release();
  });
});
