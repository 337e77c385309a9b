import { setFlagsFromString } from 'node:v8';

/**
 * V8's optimizing compiler (TurboFan) is off while a server built here starts: the bins turn
 * it off before anything is loaded (electron/bin/buildFreshness.js, runFreshBuild), and this
 * turns it on again once the server listens, or before a CLI verb's own work. What runs at
 * start runs once (zod builds ~2,500 schemas, the freshness check walks the sources), and
 * compiling it on V8's background threads cost the idle server ~5 MB of RSS for nothing: the
 * compiler's pages of the node binary and its threads' malloc arenas (issue 15, measured in
 * the README). Anything hot from here on is optimized as before (a log flood, the tick with
 * many jobs). V8 reads the flag each time it decides to tier a function up.
 */
export function resumeOptimizer(): void {
  setFlagsFromString('--turbofan');
}
