import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogSpace } from '../../../electron/engine/logs/logSpace';
import { RunLog } from '../../../electron/engine/logs/runLog';
import { tempDir } from '../helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function logsDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir, 'logs');
}

function onDisk(root: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const jobDir of readdirSync(root)) {
    for (const name of readdirSync(join(root, jobDir))) {
      bytes += statSync(join(root, jobDir, name)).size;
      files++;
    }
  }
  return { bytes, files };
}

describe('LogSpace: the bytes of run logs, counted from what they write', () => {
  it.each([1, 3])('matches the disk through rotations with %i file(s) kept, and a new scan finds the same', (filesKept) => {
    const root = logsDir();
    const space = new LogSpace(root);
    const path = join(root, 'j1', 'r1.log');
    const log = new RunLog({ filePath: path, fileMaxBytes: 64 * 1024, filesKept, tailMaxBytes: 4096, account: space.open('j1', 'r1', path) });
    // Lines of every length, some longer than a whole file: each rotation deletes and makes files.
    for (let i = 0; i < 400; i++) log.append(i % 2 ? 'stdout' : 'stderr', Buffer.from(`${'x'.repeat((i * 7919) % 3000)}\n`));
    log.append('stdout', Buffer.alloc(150 * 1024, 0x61));
    log.note('a line of its own');
    expect({ bytes: space.bytes, files: space.files }).toEqual(onDisk(root));
    expect(space.files).toBe(filesKept);
    log.close();
    expect(space.endedOldestFirst().map((entry) => entry.path)).toEqual([path]);
    const rescanned = new LogSpace(root);
    expect({ bytes: rescanned.bytes, files: rescanned.files }).toEqual(onDisk(root));
  });

  it('scans only run logs, oldest first, and deletes a run\'s log with its parts and its empty folder', () => {
    const root = logsDir();
    mkdirSync(join(root, 'j1'), { recursive: true });
    mkdirSync(join(root, 'j2'), { recursive: true });
    writeFileSync(join(root, 'j1', 'old.log'), 'a'.repeat(100));
    writeFileSync(join(root, 'j1', 'old.log.1'), 'b'.repeat(50));
    writeFileSync(join(root, 'j2', 'new.log'), 'c'.repeat(10));
    writeFileSync(join(root, 'j2', 'notes.txt'), 'not a run log');
    const past = new Date(Date.now() - 60_000);
    for (const name of ['old.log', 'old.log.1']) utimesSync(join(root, 'j1', name), past, past);
    const space = new LogSpace(root);
    expect({ bytes: space.bytes, files: space.files }).toEqual({ bytes: 160, files: 3 });
    const [oldest, newest] = space.endedOldestFirst();
    expect([oldest?.runId, oldest?.bytes, newest?.runId]).toEqual(['old', 150, 'new']);
    expect(space.deleteRun(oldest!)).toBe(150);
    expect(readdirSync(root).sort()).toEqual(['j2']);
    expect({ bytes: space.bytes, files: space.files }).toEqual({ bytes: 10, files: 1 });
    space.forgetJob('j2');
    expect(readdirSync(join(root, 'j2'))).toEqual(['notes.txt']);
    expect(space.bytes).toBe(0);
  });
});
