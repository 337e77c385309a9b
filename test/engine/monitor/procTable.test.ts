import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcTable } from '../../../electron/engine/monitor/procTable';
import { killGroups, startGroup, waitUntilSleeping } from './processes';

const dirs: string[] = [];

afterEach(async () => {
  await killGroups();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('readProcTable', () => {
  it('lists this process with its parent, group and start time', () => {
    const table = readProcTable();
    const self = table.processes.get(process.pid);
    expect(self).toBeDefined();
    expect(self?.ppid).toBe(process.ppid);
    expect(self?.state).toBe('R');
    expect(self?.rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(self?.startTime).toBeLessThanOrEqual(table.uptimeTicks);
    expect(table.processes.get(1)?.ppid).toBe(0);
    expect(table.clockTicks).toBeGreaterThan(0);
  });

  it('reads a real process whose name has spaces and a ")"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procdeck-comm-'));
    dirs.push(dir);
    const program = join(dir, 'a b) c');
    symlinkSync('/bin/sleep', program);
    const child = startGroup(program, ['300']);
    // Past its start-up, in its sleep.
    await waitUntilSleeping([child.pid]);
    const entry = readProcTable().processes.get(child.pid);
    expect(entry).toMatchObject({ pid: child.pid, comm: 'a b) c', ppid: process.pid, pgid: child.pid, state: 'S' });
  });
});
