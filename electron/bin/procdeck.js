#!/usr/bin/env node
// The `procdeck` command (package.json "bin", so `npx procdeck …` works in a checkout). Plain
// JavaScript: it runs before anything is built. It rebuilds the server and CLI when their
// sources are newer than the build (after a `git pull`), then runs the build with this very
// node: no tsx, no esbuild service, no npm in the process tree.
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './buildFreshness.js';

try {
  await ensureFreshBuild(fileURLToPath(new URL('../..', import.meta.url)), ['node']);
} catch (error) {
  console.error(`procdeck: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
await import('../../dist/node/procdeck.js');
