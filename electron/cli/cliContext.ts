import { resolveDataDir } from '../host/dataDir';
import type { CliIo } from './cliIo';
import { EngineClient } from './engineClient';
import type { Style } from './style';

/** What every verb gets: where to write, how to style, and the one connection to the engine. */
export class CliContext {
  private connection?: Promise<EngineClient>;
  /** Set by a verb whose exit code is not just success (wait, logs -f). */
  exitCode = 0;

  constructor(
    readonly io: CliIo,
    readonly style: Style,
    /** The `--data-dir` given on the command line, read when a verb runs. */
    private readonly givenDataDir: () => string | undefined,
  ) {}

  /** `--data-dir`, else PROCDECK_DATA_DIR, else the hosts' default: the hosts' own rule. */
  dataDir(): string {
    return resolveDataDir(this.givenDataDir(), this.io.env);
  }

  client(): Promise<EngineClient> {
    return (this.connection ??= EngineClient.connect(this.dataDir()));
  }

  dispose(): void {
    void this.connection?.then(
      (client) => client.close(),
      () => undefined,
    );
  }
}
