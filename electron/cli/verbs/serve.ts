import { ensureFreshBuild } from '../../bin/buildFreshness.js';
import { DEFAULT_HOST, DEFAULT_PORT, parseServeArgs } from '../../web/cliArgs';
import { EXPOSE_FLAG } from '../../web/bindAddress';
import { describeServeFailure } from '../../web/serveFailure';
import { CHECKOUT_ROOT } from '../checkout';
import { CliError, UsageError } from '../cliErrors';
import type { Verb } from './verb';

interface ServeFlags {
  host?: string;
  port?: string;
  exposeUnencrypted?: boolean;
}

export const serve: Verb = (program, context) => {
  program
    .command('serve')
    .description('run Procdeck in browser mode here (the same as npm run serve): the UI on loopback, with an access token')
    .option('--host <address>', `address to listen on (default ${DEFAULT_HOST}; anything but loopback needs ${EXPOSE_FLAG})`)
    .option('--port <n>', `port (default ${DEFAULT_PORT}, or a free one when that is taken; 0 = any free port)`)
    .option(EXPOSE_FLAG, 'allow a non-loopback --host although the host speaks plain HTTP (the token can be read off the network)')
    .addHelpText('after', '\nPROCDECK_TOKEN in the environment sets the access token instead of a random one (it is removed\nfrom the environment at once, so no job inherits it).')
    .action(async (flags: ServeFlags) => {
      // The browser host's own checks (loopback, port range, token) decide; commander only parsed.
      const parsed = parseServeArgs([
        ...(flags.host !== undefined ? ['--host', flags.host] : []),
        ...(flags.port !== undefined ? ['--port', flags.port] : []),
        ...(flags.exposeUnencrypted ? [EXPOSE_FLAG] : []),
        '--data-dir',
        context.dataDir(),
      ]);
      if (parsed.kind === 'error') throw new UsageError(parsed.message);
      if (parsed.kind !== 'serve') return;
      try {
        await ensureFreshBuild(CHECKOUT_ROOT, ['renderer']);
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error));
      }
      // Loaded only here: the other verbs need none of the engine.
      const { runBrowserMode } = await import('../../web/serve');
      try {
        await runBrowserMode(parsed.options);
      } catch (error) {
        throw new CliError(describeServeFailure(error, parsed.options));
      }
    });
};
