import { Command, CommanderError } from 'commander';
import { appVersion } from '../web/appVersion';
import { resumeOptimizer } from '../web/optimizer';
import { CliContext } from './cliContext';
import { CliError, EXIT_USAGE } from './cliErrors';
import { colorWanted, type CliIo } from './cliIo';
import { makeStyle } from './style';
import { VERBS } from './verbs';

const DESCRIPTION = [
  'Control the Procdeck running on this machine (desktop app or browser mode) from scripts and terminals.',
  'It reaches the instance through <data dir>/procdeck.sock, which only the user running Procdeck may use. NAME|ID is a job\'s id, or its name when exactly one job has it.',
  "Exit codes: 0 success; 1 the request failed (the message says why); 2 usage error; wait and logs -f exit with the job's own exit code.",
].join('\n\n');

function buildProgram(context: CliContext): Command {
  const program = new Command('procdeck')
    .description(DESCRIPTION)
    .version(appVersion(), '-V, --version', 'print the version')
    .option('--data-dir <dir>', 'the data directory of the instance to talk to (default $PROCDECK_DATA_DIR, else ~/.local/share/procdeck)')
    .helpCommand(false)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => void context.io.out(text),
      writeErr: (text) => context.io.err(text),
      outputError: (text, write) => write(`procdeck: ${text.replace(/^error: /, '')}`),
    });
  for (const register of VERBS) register(program, context);
  // The bin started without the optimizing compiler (electron/web/optimizer.ts): a verb's own
  // work has it again; serve turns it on once it listens.
  program.hook('preAction', (_program, verb) => {
    if (verb.name() !== 'serve') resumeOptimizer();
  });
  return program;
}

/** Runs one command line (without `node` and the script) and resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const built: { program?: Command } = {};
  const context = new CliContext(io, makeStyle(colorWanted(io)), () => built.program?.opts<{ dataDir?: string }>().dataDir);
  const program = (built.program = buildProgram(context));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end parsing the same way errors do.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.err(`procdeck: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  } finally {
    context.dispose();
  }
}
