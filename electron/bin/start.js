#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, browser mode otherwise. Like
// electron/bin/procdeck.js: rebuilds what is stale, then runs the build with plain node.
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './buildFreshness.js';

try {
  await ensureFreshBuild(fileURLToPath(new URL('../..', import.meta.url)), ['node']);
} catch (error) {
  console.error(`procdeck: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
await import('../../dist/node/start.js');
