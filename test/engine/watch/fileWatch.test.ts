import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileWatch, type WatchChange, type WatchNotice } from '../../../electron/engine/watch/fileWatch';
import { parseWatch, type WatchInput } from '../../../electron/engine/watch/watchSpec';
import { tempDir, waitFor } from '../helpers';

const dirs: string[] = [];
const watches: FileWatch[] = [];
afterEach(async () => {
  await Promise.all(watches.splice(0).map((w) => w.dispose()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project directory with src/app.ts, node_modules/pkg/index.js and .git/HEAD. */
function project(): string {
  const dir = tempDir('procdeck-watch-');
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'node_modules/pkg'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'src/app.ts'), 'export {};\n');
  writeFileSync(join(dir, 'node_modules/pkg/index.js'), '\n');
  writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  return dir;
}

async function started(input: Partial<WatchInput> & { baseDir: string }) {
  const changes: WatchChange[] = [];
  const notices: WatchNotice[] = [];
  const watch = new FileWatch(parseWatch({ paths: ['.'], debounceMs: 200, ...input }), { onChange: (c) => changes.push(c), onNotice: (n) => notices.push(n) });
  watches.push(watch);
  await watch.start();
  return { watch, changes, notices };
}

describe('FileWatch (real files)', () => {
  it('restarts on a real file write, saying which file', async () => {
    const dir = project();
    const { watch, changes } = await started({ baseDir: dir });
    expect(watch.state).toBe('watching');
    expect(changes).toEqual([]);
    writeFileSync(join(dir, 'src/app.ts'), 'export const x = 1;\n');
    await waitFor(() => changes.length === 1, 'a change');
    expect(changes[0]).toEqual({ paths: ['src/app.ts'], count: 1, reason: 'watch: src/app.ts changed' });
    unlinkSync(join(dir, 'src/app.ts'));
    await waitFor(() => changes.length === 2, 'the removal');
    expect(changes[1]!.reason).toBe('watch: src/app.ts removed');
  });

  it('a burst of writes spread over time is one restart', async () => {
    const dir = project();
    const { changes } = await started({ baseDir: dir, debounceMs: 2_000 });
    // The next write waits until a second watch (no debounce) has seen the previous one: the
    // burst is spread over real event-loop turns, yet quieter than the debounce throughout.
    const observer = await started({ baseDir: dir, paths: ['src'], debounceMs: 0 });
    for (let i = 0; i < 10; i++) {
      writeFileSync(join(dir, `src/file${i}.ts`), `${i}\n`);
      await waitFor(() => observer.changes.some((c) => c.paths.includes(`src/file${i}.ts`)), `the observer to see src/file${i}.ts`);
    }
    expect(observer.changes.length).toBeGreaterThan(1);
    await waitFor(() => changes.length >= 1, 'the restart');
    expect(changes).toHaveLength(1);
    expect(changes[0]!.count).toBeGreaterThanOrEqual(10);
    expect(changes[0]!.paths).toHaveLength(10);
    expect(changes[0]!.reason).toMatch(/^watch: \d+ changes \(src\/file\d\.ts, src\/file\d\.ts, src\/file\d\.ts and \d+ more\)$/);
  });

  it('writes that never pause still restart, at the latest maxWait after the first', async () => {
    const dir = project();
    const { changes } = await started({ baseDir: dir, debounceMs: 600_000, maxWaitMs: 300 });
    let writes = 0;
    const writer = setInterval(() => writeFileSync(join(dir, 'src/busy.ts'), `${writes++}\n`), 30);
    try {
      await waitFor(() => changes.length >= 1, 'a restart while the writes go on');
    } finally {
      clearInterval(writer);
    }
    expect(changes[0]!.paths[0]).toBe('src/busy.ts');
  });

  it('ignores .git, node_modules and the given globs, without descending into them', async () => {
    const dir = project();
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, `node_modules/pkg/m${i}.js`), '\n');
    mkdirSync(join(dir, 'build'));
    const { watch, changes } = await started({ baseDir: dir, ignore: ['build/**', '*.log'] });
    // ., src, src/app.ts, build (the directory itself is watched; what is under it is ignored)
    expect(watch.watchedEntries).toBeLessThan(10);
    writeFileSync(join(dir, 'node_modules/pkg/index.js'), 'changed\n');
    writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/other\n');
    writeFileSync(join(dir, 'build/out.js'), '\n');
    writeFileSync(join(dir, 'src/debug.log'), '\n');
    writeFileSync(join(dir, 'src/app.ts'), 'export const y = 2;\n');
    await waitFor(() => changes.length >= 1, 'the change to src/app.ts');
    // Events come in the order of the writes: a second sentinel comes after anything ignored that was late.
    writeFileSync(join(dir, 'src/second.ts'), '\n');
    await waitFor(() => changes.some((c) => c.paths.includes('src/second.ts')), 'the change to src/second.ts');
    expect(new Set(changes.flatMap((c) => c.paths))).toEqual(new Set(['src/app.ts', 'src/second.ts']));
  });

  it('a path that does not exist is reported and the others are still watched', async () => {
    const dir = project();
    const { watch, changes, notices } = await started({ baseDir: dir, paths: ['src', 'missing/dir'] });
    expect(watch.state).toBe('watching');
    expect(notices).toEqual([{ level: 'warning', message: 'watch: missing/dir does not exist; it is not watched (the other paths are)' }]);
    writeFileSync(join(dir, 'src/app.ts'), 'export const z = 3;\n');
    await waitFor(() => changes.length === 1, 'a change under src');
  });

  it('stops with a clear message when more files than the cap are under the paths, at start or later', async () => {
    const dir = project();
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `src/f${i}.ts`), '\n');
    const big = await started({ baseDir: dir, maxEntries: 20 });
    expect(big.watch.state).toBe('stopped');
    expect(big.notices).toEqual([{ level: 'error', message: `watch stopped: more than 20 files and directories under ${dir}; narrow the paths or add ignore globs (.git and node_modules are always ignored)` }]);

    const growing = await started({ baseDir: dir, maxEntries: 40 });
    expect(growing.watch.state).toBe('watching');
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `src/g${i}.ts`), '\n');
    await waitFor(() => growing.watch.state === 'stopped', 'the watch to stop at the cap');
    expect(growing.notices.at(-1)!.message).toMatch(/^watch stopped: more than 40 files and directories/);
    expect(growing.changes).toEqual([]);
  });

  it('does not follow a symlink out of the watched tree', async () => {
    const dir = project();
    symlinkSync('/usr', join(dir, 'src/usr'));
    const { watch } = await started({ baseDir: dir, maxEntries: 100 });
    expect(watch.state).toBe('watching');
    expect(watch.watchedEntries).toBeLessThan(20);
  });

  it('dispose closes the watchers: a disposed watch stays silent while a live one sees the write', async () => {
    const dir = project();
    // Closed handles leave the list a moment after close(): earlier tests' watchers first.
    const fileWatchers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'FSEventWrap').length;
    await waitFor(() => fileWatchers() === 0, 'no file watcher in this process');
    const disposed = await started({ baseDir: dir });
    expect(fileWatchers()).toBeGreaterThan(0);
    await disposed.watch.dispose();
    await waitFor(() => fileWatchers() === 0, () => `the disposed watch to hold no file watcher (${fileWatchers()} left)`);
    const live = await started({ baseDir: dir, paths: ['src'] });
    writeFileSync(join(dir, 'src/app.ts'), 'export const w = 4;\n');
    await waitFor(() => live.changes.length === 1, 'the live watch to see the write');
    expect(disposed.changes).toEqual([]);
  });
});
