// readStatFields: the start time and nice a spawn records, from one read of /proc/PID/stat,
// checked against the kernel's own line for real processes (a command name with ") " in it too).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStartTime, readStatFields } from '../../electron/engine/supervisor/processGroup';
import { waitFor } from '../support/wait';
import { statFields } from './monitor/processes';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('readStatFields', () => {
  it('reads the nice and start time the kernel reports, for a command whose name holds ") "', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'procdeck-stat-'));
    dirs.push(dir);
    const oddName = join(dir, 'a) b');
    copyFileSync('/bin/sleep', oddName);
    const child = spawn('nice', ['-n', '7', oddName, '1000'], { stdio: 'ignore' });
    children.push(child);
    await waitFor(() => readFileSync(`/proc/${child.pid}/stat`, 'latin1').includes('(a) b)'), 'the renamed sleep to run');
    const fields = statFields(child.pid!)!;
    expect(readStatFields(child.pid!)).toEqual({ nice: 7, startTime: Number(fields[19]) });
    expect(readStartTime(child.pid!)).toBe(Number(fields[19]));
  });

  it('is empty for a process that is gone', async () => {
    const child = spawn('true', [], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(readStatFields(child.pid!)).toEqual({});
    expect(readStartTime(child.pid!)).toBeUndefined();
  });
});
