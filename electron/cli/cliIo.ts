/** Where the CLI writes, and what it knows about its terminal. Tests hand in their own. */
export interface CliIo {
  /** Standard output; false when the text was queued (the reader is slower), as stream.write says. */
  out(text: string): boolean;
  err(text: string): void;
  /** Resolves once what `out` queued has been taken by the reader. */
  drained(): Promise<void>;
  stdoutIsTerminal: boolean;
  /** Terminal width, when stdout is one. */
  columns?: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    drained: () => new Promise((resolve) => process.stdout.once('drain', resolve)),
    stdoutIsTerminal: process.stdout.isTTY === true,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function colorWanted(io: Pick<CliIo, 'stdoutIsTerminal' | 'env'>): boolean {
  return io.stdoutIsTerminal && !io.env.NO_COLOR;
}
