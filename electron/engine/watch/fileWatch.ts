import { statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { Debouncer } from './debouncer';
import type { WatchDefinition } from './watchSpec';

export interface WatchChange {
  /** The first changed paths (relative to the base directory when under it), oldest first. */
  paths: string[];
  /** Every change of the burst. */
  count: number;
  /** "watch: src/app.ts changed", "watch: 14 changes (src/a.ts, src/b.ts, src/c.ts and 11 more)" */
  reason: string;
}

export interface WatchNotice {
  level: 'warning' | 'error';
  message: string;
}

export interface FileWatchOptions {
  /** A burst of changes is over: restart the service. */
  onChange(change: WatchChange): void;
  onNotice?(notice: WatchNotice): void;
}

export type FileWatchState = 'new' | 'starting' | 'watching' | 'stopped';

// chokidar (with readdirp) is loaded by the first watch that starts: an engine without a
// watched service or config file never compiles or holds it (issue 15).
let chokidarModule: Promise<typeof import('chokidar')> | undefined;
const loadChokidar = () => (chokidarModule ??= import('chokidar'));

const NAMED_IN_REASON = 3;
const KEPT_PATHS = 10;
const VERBS: Readonly<Record<string, string>> = { add: 'added', addDir: 'added', change: 'changed', unlink: 'removed', unlinkDir: 'removed' };

interface Root {
  path: string;
  watcher: FSWatcher;
  ready: boolean;
  /** Ends start()'s wait for this path: its scan is done, or it was closed before. */
  settle: () => void;
}

/**
 * Restarts a service when files under its watched paths change: one chokidar watcher per path
 * (chokidar's 'ready' fires early for every path when one of them is missing, and the initial
 * scan would then read as changes), a debounce per burst, ignore globs checked before chokidar
 * descends into a directory, symlinks not followed (a link to / would have it scan the machine),
 * and a cap on the files and directories watched: beyond it the whole watch stops and says why,
 * rather than exhausting the kernel's inotify watches for every other program.
 */
export class FileWatch {
  private readonly roots: Root[] = [];
  private readonly debouncer: Debouncer;
  private entries = 0;
  private pending: { path: string; verb: string }[] = [];
  private pendingCount = 0;
  private current: FileWatchState = 'new';

  constructor(
    private readonly definition: WatchDefinition,
    private readonly options: FileWatchOptions,
  ) {
    this.debouncer = new Debouncer(() => this.flush(), definition.debounceMs, definition.maxWaitMs);
  }

  get state(): FileWatchState {
    return this.current;
  }

  /** Files and directories watched now, all paths together. */
  get watchedEntries(): number {
    return this.entries;
  }

  /** Resolves once every existing path has been scanned (changes count from then on), or the watch stopped. */
  async start(): Promise<void> {
    if (this.current !== 'new') return;
    this.current = 'starting';
    const { watch } = await loadChokidar();
    // Disposed while chokidar was loading: nothing to watch.
    if (this.current !== 'starting') return;
    const readies: Promise<void>[] = [];
    for (const path of this.definition.paths) {
      const missing = this.missingReason(path);
      if (missing) {
        this.notice('warning', `watch: ${this.display(path)} ${missing}; it is not watched (the other paths are)`);
        continue;
      }
      readies.push(this.watchRoot(watch, path));
    }
    await Promise.all(readies);
    if (this.current === 'starting') this.current = 'watching';
  }

  async dispose(): Promise<void> {
    this.current = 'stopped';
    this.debouncer.cancel();
    this.pending = [];
    await Promise.all(
      this.roots.splice(0).map((root) => {
        root.settle();
        return root.watcher.close();
      }),
    );
  }

  private missingReason(path: string): string | undefined {
    try {
      statSync(path);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist';
      if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
      return `cannot be read (${code ?? String(error)})`;
    }
  }

  private watchRoot(watch: typeof import('chokidar').watch, path: string): Promise<void> {
    const watcher = watch(path, {
      persistent: true,
      ignoreInitial: false,
      followSymlinks: false,
      ignorePermissionErrors: false,
      ignored: (candidate: string) => this.definition.ignore.ignores(toSlashes(relative(path, candidate))),
    });
    let settle = () => undefined as void;
    const scanned = new Promise<void>((resolve) => (settle = resolve));
    const root: Root = { path, watcher, ready: false, settle };
    this.roots.push(root);
    watcher.on('all', (event, changed) => this.onEvent(root, event, changed));
    watcher.on('error', (error) => this.notice('warning', `watch: ${this.display(path)}: ${describeWatchError(error as NodeJS.ErrnoException)}`));
    watcher.once('ready', () => {
      root.ready = true;
      settle();
    });
    return scanned;
  }

  private onEvent(root: Root, event: string, path: string): void {
    if (this.current === 'stopped') return;
    if (event === 'add' || event === 'addDir') this.entries += 1;
    else if (event === 'unlink' || event === 'unlinkDir') this.entries = Math.max(0, this.entries - 1);
    if (this.entries > this.definition.maxEntries) return this.exceeded();
    if (!root.ready) return;
    const verb = VERBS[event];
    if (!verb) return;
    this.pendingCount += 1;
    if (this.pending.length < KEPT_PATHS) this.pending.push({ path: this.display(path), verb });
    this.debouncer.poke();
  }

  private exceeded(): void {
    const where = this.definition.paths.map((path) => this.display(path)).join(', ');
    void this.dispose();
    this.notice('error', `watch stopped: more than ${this.definition.maxEntries} files and directories under ${where}; narrow the paths or add ignore globs (.git and node_modules are always ignored)`);
  }

  private flush(): void {
    if (this.current === 'stopped' || this.pendingCount === 0) return;
    const changes = this.pending;
    const count = this.pendingCount;
    this.pending = [];
    this.pendingCount = 0;
    const reason =
      count === 1
        ? `watch: ${changes[0]!.path} ${changes[0]!.verb}`
        : `watch: ${count} changes (${changes
            .slice(0, NAMED_IN_REASON)
            .map((c) => c.path)
            .join(', ')}${count > NAMED_IN_REASON ? ` and ${count - NAMED_IN_REASON} more` : ''})`;
    try {
      this.options.onChange({ paths: changes.map((c) => c.path), count, reason });
    } catch (error) {
      console.error(`watch listener failed on "${reason}":`, error);
    }
  }

  private display(path: string): string {
    const inside = relative(this.definition.baseDir, path);
    return inside && !inside.startsWith('..') && !inside.startsWith(sep) ? toSlashes(inside) : path;
  }

  private notice(level: WatchNotice['level'], message: string): void {
    try {
      this.options.onNotice?.({ level, message });
    } catch (error) {
      console.error('watch notice listener failed:', error);
    }
  }
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function describeWatchError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOSPC') return "the system's limit of inotify watches is reached (fs.inotify.max_user_watches); some files are not watched";
  if (error.code === 'EMFILE') return 'Procdeck has too many open files; some files are not watched';
  if (error.code === 'EACCES' || error.code === 'EPERM') return `permission denied${error.path ? ` for ${error.path}` : ''}`;
  return error.message;
}
