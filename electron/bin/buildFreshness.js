// Plain JavaScript on purpose: this runs before anything is built (electron/bin/procdeck.js, electron/bin/start.js),
// and again, bundled, when `procdeck serve` or `npm start` needs the UI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

/**
 * What each part of the build is made from and what it makes. A part is stale when one of
 * its outputs is missing or older than its newest source (a `git pull` or an edit gives the
 * changed files a new modification time), and then it is rebuilt before it is used.
 */
export const BUILD_TARGETS = {
  node: {
    label: 'the server and CLI',
    sources: ['electron/cli', 'electron/web', 'electron/host', 'electron/engine', 'electron/launcher', 'shared', 'electron/bin/buildFreshness.js'],
    outputs: ['dist/node/procdeck.js', 'dist/node/start.js'],
    builds: [['--mode', 'node']],
  },
  renderer: {
    label: 'the UI',
    sources: ['renderer', 'shared'],
    outputs: ['dist/renderer/index.html'],
    builds: [[]],
  },
  electron: {
    label: 'the desktop app',
    sources: ['electron/main', 'electron/preload', 'electron/host', 'electron/engine', 'electron/web', 'shared'],
    outputs: ['dist/electron/main/index.js', 'dist/electron/preload/index.cjs'],
    builds: [['--mode', 'electron-main'], ['--mode', 'electron-preload']],
  },
};

/** Sources of every part: the build's own configuration and the installed dependencies. */
const SHARED_SOURCES = ['vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

const LOCK = 'dist/.build-lock';
const LOCK_WAIT_MS = 10 * 60 * 1000;

/** @param {string} path @returns {{ path: string, mtimeMs: number } | undefined} the newest file under path */
function newestFile(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest;
  for (const entry of readdirSync(path)) {
    if (entry.startsWith('.') || entry === 'node_modules') continue;
    const found = newestFile(join(path, entry));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/**
 * Why a part must be built, or undefined when its build is current. A checkout without the
 * part's sources (an installed package) is taken as built.
 * @param {string} root @param {keyof typeof BUILD_TARGETS} name
 */
export function whyStale(root, name) {
  const target = BUILD_TARGETS[name];
  let oldestOutput = Infinity;
  for (const output of target.outputs) {
    const path = join(root, output);
    if (!existsSync(path)) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, statSync(path).mtimeMs);
  }
  let newest;
  for (const source of [...target.sources, ...SHARED_SOURCES]) {
    const found = newestFile(join(root, source));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  if (newest && newest.mtimeMs > oldestOutput) return `${relative(root, newest.path)} is newer than the build`;
  return undefined;
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One builder at a time per checkout (several CLIs started at once after a pull, a test
 * suite's parallel workers): the others wait for it, then find the build current. A lock
 * left by a builder that died is taken over.
 * @param {string} root
 */
async function withBuildLock(root, /** @type {() => void} */ build) {
  const lock = join(root, LOCK);
  const deadline = Date.now() + LOCK_WAIT_MS;
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // Just made, its owner not written yet; or left by a builder that died at that instant.
      const made = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - made > 60_000) rmSync(lock, { recursive: true, force: true });
    }
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`another build of ${root} has held ${LOCK} for ${LOCK_WAIT_MS / 60_000} minutes; remove it if no build is running`);
    await sleep(100);
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** @param {string} root @param {string[]} args */
function runVite(root, args) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new Error(`cannot build: ${relative(root, vite)} is missing (run npm install first)`);
  // The build is the same whoever asks: nothing of Procdeck's own environment (PROCDECK_TOKEN
  // least of all), and not a test runner's (vite.config.ts builds the tests' config under VITEST).
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(PROCDECK_|VITEST)/.test(name) && name !== 'NODE_ENV'));
  const result = spawnSync(process.execPath, [vite, 'build', ...args], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`the build failed (vite build ${args.join(' ')}):\n${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`);
  }
}

/**
 * Builds whichever of `names` is stale, saying so in one line each on stderr (stdout stays
 * the command's own: `procdeck ls --json | jq` must still read JSON).
 * @param {string} root @param {(keyof typeof BUILD_TARGETS)[]} names @param {(line: string) => void} [say]
 */
export async function ensureFreshBuild(root, names, say = (line) => process.stderr.write(`${line}\n`)) {
  for (const name of names) {
    if (whyStale(root, name) === undefined) continue;
    await withBuildLock(root, () => {
      // Another builder may have just finished it.
      const why = whyStale(root, name);
      if (why === undefined) return;
      const started = Date.now();
      const target = BUILD_TARGETS[name];
      say(`procdeck: building ${target.label} (${why})…`);
      for (const args of target.builds) runVite(root, args);
      say(`procdeck: built ${target.label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const still = whyStale(root, name);
      if (still) say(`procdeck: warning: ${still} even after building (a modification time in the future?)`);
    });
  }
}

/**
 * What both bins do: rebuild the server and CLI if stale (a failure is one line and exit 1),
 * then run the built `entry` (a file of dist/node) in this very process, the optimizing compiler
 * off until it has started (electron/web/optimizer.ts).
 * @param {string} entry
 */
export async function runFreshBuild(entry) {
  // No optimizing compiler while the build is checked and loaded: that code runs once, and
  // compiling it costs the idle server ~5 MB of RSS. electron/web/optimizer.ts turns it on
  // again once the server listens or a CLI verb starts its work, and says why.
  setFlagsFromString('--no-turbofan');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  try {
    await ensureFreshBuild(root, ['node']);
  } catch (error) {
    console.error(`procdeck: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  await import(pathToFileURL(join(root, 'dist/node', entry)).href);
}
