#!/usr/bin/env -S node --max-semi-space-size=1 --expose-gc --v8-pool-size=1
// `npm start`: the desktop app where Electron can run, browser mode otherwise. Like
// electron/bin/procdeck.js: rebuilds what is stale, then runs the build with plain node (and
// the same V8 flags, see there).
import { runFreshBuild } from './buildFreshness.js';

await runFreshBuild('start.js');
