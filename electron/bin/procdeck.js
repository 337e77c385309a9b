#!/usr/bin/env -S node --max-semi-space-size=1 --expose-gc --v8-pool-size=1
// The `procdeck` command (package.json "bin", so `npx procdeck …` works in a checkout). Plain
// JavaScript: it runs before anything is built. It rebuilds the server and CLI when their
// sources are newer than the build (after a `git pull`), then runs the build with this very
// node: no tsx, no esbuild service, no npm in the process tree.
// --max-semi-space-size=1 (MiB; V8's default grows to 16): the young generation stays at 2 MiB,
// measured: idle RSS -1 MiB, peak RSS during a 256 MiB log flood 101 → 81 MB, the flood no slower
// (each 64 KiB pipe chunk is short-lived). --expose-gc: during a log flood the engine collects
// the young generation every few MiB of output read (electron/engine/logs/readBufferCollector.ts
// says why). --v8-pool-size=1: one V8 worker thread instead of four (concurrent marking, the
// optimizing compiler's background jobs): three thread stacks and malloc arenas fewer, measured
// 1-2 MiB less RSS with 100 jobs, a 512 MiB log flood no slower (README, issue 15).
// package.json's scripts pass the same flags; V8 reads them only at start, so they cannot be
// set from here. libuv's thread pool (UV_THREADPOOL_SIZE) cannot be sized from here either: the
// ES module loader has started its four threads before this file runs.
import { runFreshBuild } from './buildFreshness.js';

await runFreshBuild('procdeck.js');
