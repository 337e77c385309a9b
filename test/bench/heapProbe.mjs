// Preloaded into a server by test/bench/rssProbe.ts (`node --import ./test/bench/heapProbe.mjs …`):
// on SIGUSR2, two full collections, then the heap's figures in <tmpdir>/procdeck-heap-<pid>.json.
// The live heap after a collection does not depend on the machine's load, the RSS does.
import { writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';

process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  const path = join(tmpdir(), `procdeck-heap-${process.pid}.json`);
  writeFileSync(`${path}.tmp`, JSON.stringify({ heapUsed, external, arrayBuffers, malloced: getHeapStatistics().malloced_memory }));
  renameSync(`${path}.tmp`, path);
});
