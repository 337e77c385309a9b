import { readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig, type ViteUserConfig as UserConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the renderer build and for vitest: vitest runs from the project root,
// the renderer build from renderer/ (its index.html lives there).
const rendererAndTests: UserConfig = {
  root: process.env.VITEST ? '.' : 'renderer',
  base: './',
  plugins: [react()],
  // PROCDECK_REACT_PROFILE=1 builds with React's profiling renderer, for test/bench/uiProfile.ts.
  resolve: process.env.PROCDECK_REACT_PROFILE ? { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] } : {},
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
};

/**
 * Electron's main process (ESM, `--mode electron-main`) and the preload (`--mode
 * electron-preload`): Node-side bundles with every dependency inlined except Electron and
 * Node's own modules. The preload must be CommonJS: a sandboxed preload cannot be ESM.
 */
function electronBundle(entry: string, outDir: string, format: 'es' | 'cjs', fileName: string): UserConfig {
  return {
    root: '.',
    publicDir: false,
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: true,
      target: 'node22',
      sourcemap: true,
      minify: false,
      rolldownOptions: {
        external: ['electron', /^node:/, ...builtinModules],
        output: { format, entryFileNames: fileName },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  };
}

/** Chunks of earlier builds are kept a day (a host started from one may still load it), then removed. */
function pruneOldChunks(outDir: string, keepMs = 24 * 3600 * 1000): Plugin {
  return {
    name: 'procdeck-prune-old-chunks',
    writeBundle(_options, bundle) {
      const current = new Set(Object.keys(bundle));
      for (const file of readdirSync(outDir)) {
        const path = join(outDir, file);
        if (!current.has(file) && file.startsWith('chunk-') && Date.now() - statSync(path).mtimeMs > keepMs) rmSync(path, { force: true });
      }
    },
  };
}

/**
 * The browser host, the launcher and the CLI (`--mode node`), run by plain `node` (electron/bin/): ESM,
 * dependencies left to node_modules. Every file lands directly in dist/node, two levels below
 * the root like the sources it came from, so `new URL('../../…', import.meta.url)` (package.json,
 * dist/renderer) means the same in both. Not emptied: a running host may still load a chunk of
 * the build it started from (hash-named, so a rebuild never overwrites one in use).
 */
function nodeBundle(): UserConfig {
  return {
    root: '.',
    publicDir: false,
    plugins: [pruneOldChunks('dist/node')],
    build: {
      ssr: true,
      outDir: 'dist/node',
      emptyOutDir: false,
      target: 'node20',
      sourcemap: true,
      minify: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: { procdeck: 'electron/cli/main.ts', start: 'electron/launcher/start.ts' },
        external: ['electron', /^node:/, ...builtinModules],
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunk-[name]-[hash].js' },
      },
    },
    ssr: { target: 'node' },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'node') return nodeBundle();
  if (mode === 'electron-main') return electronBundle('electron/main/index.ts', 'dist/electron/main', 'es', 'index.js');
  if (mode === 'electron-preload') return electronBundle('electron/preload/index.ts', 'dist/electron/preload', 'cjs', 'index.cjs');
  return rendererAndTests;
});
