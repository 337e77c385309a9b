import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from './helpers';

afterEach(closeEngines);

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file and directory Procdeck keeps in the data dir, with its mode (a job's private directory's contents are the job's). */
function modesBelow(dir: string, prefix = ''): Record<string, number> {
  const modes: Record<string, number> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = prefix + name;
    const stat = lstatSync(path);
    modes[rel] = stat.mode & 0o777;
    if (stat.isDirectory() && !prefix.startsWith('sandbox/')) Object.assign(modes, modesBelow(path, `${rel}/`));
  }
  return modes;
}

describe('the data directory is the operator’s alone', () => {
  it('a data dir made 0755 beforehand is made 0700 at open (and said so); everything Procdeck writes in it is 0600, directories 0700', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o755);
    // Left by an older version: readable by everyone.
    writeFileSync(join(dataDir, 'settings.json'), '{}', { mode: 0o644 });
    mkdirSync(join(dataDir, 'logs', 'old-job'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dataDir, 'logs', 'old-job', 'r1.log'), 'old output\n', { mode: 0o644 });
    chmodSync(join(dataDir, 'settings.json'), 0o644);
    chmodSync(join(dataDir, 'logs'), 0o755);

    const engine = openEngine({ dataDir });
    expect(engine.openingNotices.join('\n')).toMatch(/the data directory .* was open to other users \(mode 0755\); it is now 0700, and 4 files and directories in it were made private too/);
    expect(mode(dataDir)).toBe(0o700);

    const job = engine.jobs.start({ command: { kind: 'shell', script: 'echo to the log' } });
    const privateJob = engine.jobs.start({ command: { kind: 'shell', script: 'echo private' }, isolation: { level: 'basic', overrides: { cwd: 'private' } } });
    const sleeper = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300' } });
    await waitForState(engine, job.id, 'exited');
    await waitForState(engine, privateJob.id, ['exited', 'failed-to-start']);
    await waitForState(engine, sleeper.id, 'running');
    engine.settings.update({ confirmKill: false });
    // The running registry's journal is appended to once the sleeper's group is known.
    await waitFor(() => readdirSync(dataDir).includes('running.journal'), 'running.journal to be written');

    const modes = modesBelow(dataDir);
    for (const name of ['jobs.json', 'settings.json', 'running.journal', 'engine.lock', `logs/${job.id}`, 'logs/old-job/r1.log']) expect(Object.keys(modes)).toContain(name);
    expect(Object.keys(modes).some((name) => name.startsWith('jobs.journal-'))).toBe(true);
    const open = Object.entries(modes).filter(([name, m]) => !name.startsWith('sandbox/') && (m & 0o077) !== 0);
    expect(open).toEqual([]);
    for (const [name, m] of Object.entries(modes)) {
      if (name.startsWith('sandbox/')) continue;
      expect([name, m]).toEqual([name, statSync(join(dataDir, name)).isDirectory() ? 0o700 : 0o600]);
    }
  });

  it('a private data dir with one file left open is fixed and said so, without walking the logs', () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o700);
    writeFileSync(join(dataDir, 'jobs.json'), JSON.stringify({ version: 1, jobs: [] }), { mode: 0o666 });
    chmodSync(join(dataDir, 'jobs.json'), 0o666);
    const engine = openEngine({ dataDir });
    expect(engine.openingNotices).toEqual([expect.stringMatching(/^1 file or directory in the data directory .* was open to other users; made private now/)]);
    expect(mode(join(dataDir, 'jobs.json'))).toBe(0o600);
  });
});
