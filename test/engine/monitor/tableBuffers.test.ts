import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcScanner } from '../../../electron/engine/monitor/procScanner';
import { exited, killGroups, startGroup } from './processes';

let scanner: ProcScanner | undefined;

afterEach(async () => {
  scanner?.dispose();
  scanner = undefined;
  await killGroups();
});

/** This process's fds open on a /proc/<pid>/stat file, by fd number. */
function statFds(): number[] {
  return readdirSync('/proc/self/fd')
    .map(Number)
    .filter((fd) => {
      try {
        return /^\/proc\/\d+\/stat$/.test(readlinkSync(`/proc/self/fd/${fd}`));
      } catch {
        return false; // The fd readdir itself used, closed by now.
      }
    });
}

describe('ProcScanner table buffers', () => {
  it('builds each table in the maps of the scan before last, holding only what its own scan placed, and leaves the last table whole', async () => {
    const sampled = [startGroup('sleep', ['300']), startGroup('sleep', ['300'])];
    const outside = startGroup('sleep', ['300']);
    const stays = startGroup('sleep', ['300']);
    // The pid counter moves at every scan: /proc is listed each time (the branch that carries known entries over).
    let lastPid = 1000;
    scanner = new ProcScanner({ fullEvery: 1000, lastPid: () => ++lastPid });
    const roots = sampled.map((j) => j.pid);
    const first = scanner.scan({ roots });
    const second = scanner.scan({ roots });
    expect(first.table.processes.has(outside.pid)).toBe(true);
    expect(second.table.fresh?.has(sampled[0]!.pid)).toBe(true);

    process.kill(outside.pid, 'SIGKILL');
    process.kill(sampled[0]!.pid, 'SIGKILL');
    await Promise.all([exited(outside), exited(sampled[0]!)]);
    const secondPids = [...second.table.processes.keys()];
    const third = scanner.scan({ roots });
    // The first scan's maps, refilled: nothing of the first scan that is gone is left in them.
    expect(third.table.processes).toBe(first.table.processes);
    expect(third.table.processes.has(outside.pid)).toBe(false);
    expect(third.table.processes.has(sampled[0]!.pid)).toBe(false);
    expect(third.table.processes.get(stays.pid)).toBe(second.table.processes.get(stays.pid));
    expect(third.trees.size).toBe(1);
    // The previous table is untouched by the scan after it (the tick's usage compares the two).
    expect([...second.table.processes.keys()]).toEqual(secondPids);
    expect(second.table.processes.has(outside.pid)).toBe(true);

    // The second scan's maps, refilled: its fresh set held the gone job; now only what this scan read.
    const fourth = scanner.scan({ roots });
    expect(fourth.table.processes).toBe(second.table.processes);
    expect(fourth.table.fresh).toBe(second.table.fresh);
    expect(fourth.table.processes.has(outside.pid)).toBe(false);
    expect(fourth.table.fresh?.has(sampled[0]!.pid)).toBe(false);
    expect(fourth.table.fresh?.has(sampled[1]!.pid)).toBe(true);
    // Carried over, not read: not fresh, though the buffer's earlier full scan had read it.
    expect(fourth.table.fresh?.has(stays.pid)).toBe(false);
    expect(fourth.table.processes.size).toBe([...fourth.table.processes.keys()].filter((pid) => third.table.processes.has(pid) || fourth.table.fresh?.has(pid)).length);
  });

  it('opens its kept fds close-on-exec: a process started while they are open inherits none of them', () => {
    const jobs = Array.from({ length: 3 }, () => startGroup('sleep', ['300']));
    scanner = new ProcScanner();
    scanner.scan({ roots: jobs.map((j) => j.pid) });
    scanner.scan({ roots: jobs.map((j) => j.pid) });
    const kept = statFds();
    expect(kept.length).toBeGreaterThanOrEqual(3);
    for (const fd of kept) {
      const flags = Number.parseInt(/^flags:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8);
      // O_CLOEXEC (02000000 octal on Linux).
      expect(flags & 0o2000000, `fd ${fd}`).not.toBe(0);
    }
    const child = spawnSync('ls', ['-l', '/proc/self/fd'], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    expect(child.stdout).not.toMatch(/\/proc\/\d+\/stat/);
    expect(child.stdout).not.toMatch(/\/proc\/(uptime|loadavg)/);
  });
});
