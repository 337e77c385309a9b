import { parseServeArgs, USAGE } from './cliArgs';
import { runBrowserMode } from './serve';

// `npm run serve -- --port N --host H --data-dir D`
const parsed = parseServeArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(USAGE);
} else if (parsed.kind === 'error') {
  console.error(`procdeck serve: ${parsed.message}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  runBrowserMode(parsed.options).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `port ${parsed.options.port} on ${parsed.options.host} is already in use (choose another with --port, or 0 for any free port)`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `cannot listen on ${parsed.options.host}: no such local address`
          : error instanceof Error
            ? error.message
            : String(error);
    console.error(`procdeck serve: ${message}`);
    process.exitCode = 1;
  });
}
