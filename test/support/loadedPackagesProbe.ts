// Preloaded (--import) into a host child by test/web/idleModules.test.ts: on SIGUSR2 it prints
// the npm packages whose CommonJS files this process has loaded so far, one line on stderr.
// (prom-client, pidusage and ws are CommonJS; what the host loads lazily shows up here.)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

process.on('SIGUSR2', () => {
  const packages = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(file.lastIndexOf('node_modules/')));
    if (match) packages.add(match[1]!);
  }
  process.stderr.write(`loaded packages: ${JSON.stringify([...packages].sort())}\n`);
});
