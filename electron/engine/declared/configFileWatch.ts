import { dirname } from 'node:path';
import { FileWatch } from '../watch/fileWatch';
import { parseWatch } from '../watch/watchSpec';

/** Quiet time after an editor's last write (some write a file in several steps) before the file is read again. */
export const CONFIG_REREAD_DEBOUNCE_MS = 300;

export interface ConfigFileWatchOptions {
  /** A burst of writes to the file (or one of its env files) is over: read it again. */
  changed(): void;
  notice(message: string): void;
}

/**
 * Follows the config file in force and the env files it names (an edit of one shows as `env`
 * in the diff). One FileWatch per file in force: chokidar follows a file an editor replaces by
 * renaming a new one over it, not only one written in place.
 */
export class ConfigFileWatch {
  private watch?: FileWatch;
  private started: Promise<void> = Promise.resolve();

  constructor(private readonly options: ConfigFileWatchOptions) {}

  /** Watches these files from now on (the previous ones no longer). */
  follow(file: string, envFiles: readonly string[]): void {
    void this.watch?.dispose();
    const watch = new FileWatch(parseWatch({ paths: [file, ...envFiles], baseDir: dirname(file), debounceMs: CONFIG_REREAD_DEBOUNCE_MS }), {
      onChange: () => this.options.changed(),
      onNotice: (notice) => this.options.notice(`config file ${file}: ${notice.message}`),
    });
    this.watch = watch;
    // An edit made after the file was read but before chokidar has its first scan is seen by
    // nobody (an editor's rename over the file is then the file chokidar finds): read the file
    // once more when the watch is in place. Unchanged, that tells clients an empty diff.
    this.started = watch.start().then(() => {
      if (this.watch === watch) this.options.changed();
    });
  }

  /** Resolves once the files are watched (writes count from then on). */
  async ready(): Promise<void> {
    await this.started;
  }

  async dispose(): Promise<void> {
    await this.watch?.dispose();
    this.watch = undefined;
  }
}
