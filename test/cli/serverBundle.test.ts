import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshBuild } from '../../electron/bin/buildFreshness.js';
import { ROOT } from './cliHelpers';

// Issue 15 (memory): what `procdeck serve` compiles and keeps at start is what its entry and
// the serve chunk import statically; the YAML parser, execa and chokidar are loaded at the
// first config command, Slurm command and watch (the tests of those features use them first
// in a fresh module graph: test/engine/declared/, test/engine/slurm*, test/engine/watch/).
const DIST = join(ROOT, 'dist/node');
const LAZY_PACKAGES = ['yaml', 'execa', 'chokidar', 'readdirp', 'prom-client', 'pidusage'];

const code = (chunk: string) => readFileSync(join(DIST, chunk), 'utf8');
const staticImports = (chunk: string) => [...code(chunk).matchAll(/^import [^;]*?from "\.\/(chunk-[^"]+\.js)";$/gm)].map((m) => m[1]!);
const dynamicImports = (chunk: string) => [...code(chunk).matchAll(/import\("\.\/(chunk-[^"]+\.js)"\)/g)].map((m) => m[1]!);
const sourcesIn = (chunk: string) => (JSON.parse(readFileSync(join(DIST, `${chunk}.map`), 'utf8')) as { sources: string[] }).sources;
const packagesIn = (chunk: string) => {
  const sources = sourcesIn(chunk);
  return new Set(sources.flatMap((source) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source.slice(source.lastIndexOf('node_modules/')))?.[1] ?? []));
};

/** The chunks loaded with `chunk`, itself included. */
function loadedWith(chunk: string, seen = new Set<string>()): Set<string> {
  if (seen.has(chunk)) return seen;
  seen.add(chunk);
  for (const next of staticImports(chunk)) loadedWith(next, seen);
  return seen;
}

/** The chunks `procdeck serve` loads before it listens. */
function chunksAtStart(): Set<string> {
  const serveChunk = dynamicImports('procdeck.js').find((chunk) => chunk.startsWith('chunk-serve-'));
  expect(serveChunk, 'procdeck.js imports the serve chunk when the serve verb runs').toBeDefined();
  return new Set([...loadedWith('procdeck.js'), ...loadedWith(serveChunk!)]);
}

describe("the server bundle's start", () => {
  beforeAll(() => ensureFreshBuild(ROOT, ['node'], () => undefined), 300_000);

  it('holds no package an idle engine does not use; each is a chunk of its own, imported on first use', () => {
    const atStart = chunksAtStart();
    const packagesAtStart = new Set([...atStart].flatMap((chunk) => [...packagesIn(chunk)]));
    expect(packagesAtStart).toContain('zod'); // the source maps name packages at all
    expect(packagesAtStart).toContain('ws');
    for (const name of LAZY_PACKAGES) expect(packagesAtStart, name).not.toContain(name);

    const onDemand = [...atStart].flatMap(dynamicImports).filter((chunk) => !atStart.has(chunk));
    const packagesOnDemand = new Set(onDemand.flatMap((chunk) => [...loadedWith(chunk)]).flatMap((chunk) => [...packagesIn(chunk)]));
    for (const name of LAZY_PACKAGES) expect(packagesOnDemand, name).toContain(name);
  });

  // Their module-level schemas would be built at import (hundreds of zod objects, ~1 MB of
  // heap): shared/config/fileWords.ts holds what the rest of shared/ needs from the file's words.
  it("holds none of the config file's schema modules: they come with the first config command", () => {
    const sourcesAtStart = [...chunksAtStart()].flatMap(sourcesIn);
    expect(sourcesAtStart.some((source) => source.endsWith('shared/contract.ts'))).toBe(true); // the maps name our modules at all
    for (const module of ['shared/config/fileSchema.ts', 'shared/config/fileParts.ts']) expect(sourcesAtStart.filter((source) => source.endsWith(module)), module).toEqual([]);
  });
});
