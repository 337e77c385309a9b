import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the renderer build and for vitest: vitest runs from the project root,
// the renderer build from renderer/ (its index.html lives there).
export default defineConfig({
  root: process.env.VITEST ? '.' : 'renderer',
  base: './',
  plugins: [react()],
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
});
