import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcScanner } from '../../../electron/engine/monitor/procScanner';
import { killGroups, startGroup } from './processes';

let scanner: ProcScanner | undefined;

afterEach(async () => {
  scanner?.dispose();
  scanner = undefined;
  await killGroups();
});

/** This process's fds open on a /proc/<pid>/stat file. */
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

describe("the scanner's kept stat fds", () => {
  it('are close-on-exec: a process started while they are open inherits none of them', () => {
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
