import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasDisplay, locateElectronBinary } from '../../electron/launcher/electronBinary';
import { findOnPath, openInSystemBrowser } from '../../electron/launcher/systemBrowser';
import { tempDir as makeTempDir, waitFor } from '../engine/helpers';

const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = makeTempDir(prefix);
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('finding the Electron binary without triggering its download', () => {
  it('reports why it is unavailable', () => {
    expect(locateElectronBinary(undefined)).toEqual({ available: false, reason: 'the electron package is not installed' });
    const pkg = tempDir('procdeck-electron-');
    expect(locateElectronBinary(pkg, {})).toMatchObject({ available: false, reason: expect.stringContaining('never downloaded') });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(locateElectronBinary(pkg, {})).toMatchObject({ available: false, reason: expect.stringContaining('dist/electron is missing') });
  });

  it('finds it where the electron package puts it, or under ELECTRON_OVERRIDE_DIST_PATH', () => {
    const pkg = tempDir('procdeck-electron-');
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(locateElectronBinary(pkg, {})).toEqual({ available: true, path: join(pkg, 'dist', 'electron') });
    const override = tempDir('procdeck-override-');
    expect(locateElectronBinary(pkg, { ELECTRON_OVERRIDE_DIST_PATH: override })).toMatchObject({ available: false });
    writeFileSync(join(override, 'electron'), '');
    expect(locateElectronBinary(pkg, { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({ available: true, path: join(override, 'electron') });
  });

  it('needs a display', () => {
    expect(hasDisplay({})).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
  });
});

describe('opening the system browser', () => {
  it('finds executables on PATH only', () => {
    const bin = tempDir('procdeck-bin-');
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\n');
    expect(findOnPath('xdg-open', { PATH: bin })).toBeUndefined();
    chmodSync(join(bin, 'xdg-open'), 0o755);
    expect(findOnPath('xdg-open', { PATH: `/nonexistent:${bin}` })).toBe(join(bin, 'xdg-open'));
  });

  it('does nothing (and does not fail) without a display or without xdg-open', () => {
    const bin = tempDir('procdeck-bin-');
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\n', { mode: 0o755 });
    expect(openInSystemBrowser('http://127.0.0.1:1/', { PATH: bin })).toBe(false);
    expect(openInSystemBrowser('http://127.0.0.1:1/', { PATH: '/nonexistent', DISPLAY: ':0' })).toBe(false);
  });

  it('runs xdg-open with the URL when both are there', async () => {
    const bin = tempDir('procdeck-bin-');
    const record = join(bin, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > ${record}\n`, { mode: 0o755 });
    expect(openInSystemBrowser('http://127.0.0.1:1/?token=abc', { PATH: bin, DISPLAY: ':0' })).toBe(true);
    // The script writes its line, then exits: its whole line is there once the file has a newline.
    await waitFor(() => existsSync(record) && readFileSync(record, 'utf8').endsWith('\n'), 'xdg-open to record its argument');
    expect(readFileSync(record, 'utf8').trim()).toBe('http://127.0.0.1:1/?token=abc');
  });
});
