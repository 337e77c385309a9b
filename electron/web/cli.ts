import { parseServeArgs, USAGE } from './cliArgs';
import { runBrowserMode } from './serve';
import { describeServeFailure } from './serveFailure';

// Browser mode from the sources (tests run it with tsx); `npm run serve` and `procdeck serve` run the build.
const parsed = parseServeArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(USAGE);
} else if (parsed.kind === 'error') {
  console.error(`procdeck serve: ${parsed.message}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  runBrowserMode(parsed.options).catch((error: unknown) => {
    console.error(`procdeck serve: ${describeServeFailure(error, parsed.options)}`);
    process.exitCode = 1;
  });
}
