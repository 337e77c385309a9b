import { processIo } from './cliIo';
import { runCli } from './program';

// The `procdeck` command (electron/bin/procdeck.js runs the build of this file).

// `procdeck logs x | head`: the reader went away, which is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('procdeck: internal error:', error);
    process.exitCode = 1;
  },
);
