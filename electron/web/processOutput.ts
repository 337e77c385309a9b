import type { BrowserModeOutput } from './serve';

const dropped = () => undefined;

/**
 * Browser mode's own stdout and stderr. Either may go away before we do: `npm start | tee log`
 * and Ctrl+C ends tee at once, and a closed terminal (SIGHUP) takes both. A write to a closed
 * pipe fails with EPIPE (EIO on a gone terminal) as an 'error' event on the stream, which with
 * no listener is an uncaught exception; here it is dropped, and the shutdown goes on.
 */
export function processOutput(): BrowserModeOutput {
  process.stdout.on('error', dropped);
  process.stderr.on('error', dropped);
  const write = (stream: NodeJS.WriteStream, line: string) => {
    if (stream.destroyed || !stream.writable) return;
    try {
      stream.write(`${line}\n`);
    } catch {
      // Closed between the check and the write: dropped like the asynchronous failure.
    }
  };
  return {
    print: (line) => write(process.stdout, line),
    warn: (line) => write(process.stderr, line),
    stdoutIsTerminal: process.stdout.isTTY === true,
  };
}
